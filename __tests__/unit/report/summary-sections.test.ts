import { describe, expect, it } from '@jest/globals'
import { refs } from '../../../__fixtures__/ecs.js'
import { outcome, secretResult } from '../../../__fixtures__/report.js'
import type { DiscoveredService } from '../../../src/ecs/discover.js'
import type { RunReport } from '../../../src/report/run-report.js'
import { FOLD_ABOVE } from '../../../src/report/services-section.js'
import { summaryMarkdown } from '../../../src/report/summary.js'

// The summary's sections that only some runs have: replicas, a failed rollback, a large discovery.
const run = { id: '42', attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com' }
const lines = (report: RunReport) => summaryMarkdown(report).split('\n')
/** A put of prod/db, with what the test is about. */
const put = (fields: Partial<RunReport>): RunReport => ({
  mode: 'put',
  secretId: 'prod/db',
  waited: true,
  run,
  secret: secretResult(),
  services: [],
  ...fields
})

describe('summaryMarkdown, sections some runs have', () => {
  it('lists each replica region, when it had the new version, or why not', () => {
    const report = put({
      secret: secretResult({
        replicas: [
          { region: 'us-east-1', status: 'in-sync', currentAt: new Date('2026-01-01T12:00:07Z'), waitedSeconds: 7 },
          { region: 'ap-south-1', status: 'failed', waitedSeconds: 3, reason: 'Access denied | KMS' }
        ]
      })
    })
    const md = lines(report)
    const head = md.indexOf('| replica region | new version | had it after | note |')
    expect(md.slice(head, head + 5)).toEqual([
      '| replica region | new version | had it after | note |',
      '|---|---|---|---|',
      '| us-east-1 | ✅ in sync | 7s (12:00:07 UTC) |  |',
      '| ap-south-1 | ❌ failed |  | Access denied \\| KMS |',
      ''
    ])
  })

  it('says that moving AWSCURRENT back failed, and why', () => {
    const report = put({
      services: [outcome('prod/api', 'failed', { reason: 'circuit breaker' })],
      rollback: {
        secret: { status: 'failed', versionId: 'v1', fromVersionId: 'v2', reason: 'AccessDeniedException: not allowed' },
        services: []
      }
    })
    const md = lines(report)
    expect(md.slice(md.indexOf('### Rollback'), md.indexOf('### Rollback') + 3)).toEqual([
      '### Rollback',
      '',
      'Deployments failed, and moving AWSCURRENT back failed: AccessDeniedException: not allowed'
    ])
  })

  it(`past ${FOLD_ABOVE} discovered services, lists the pinned ones first and counts the rest`, () => {
    const found: DiscoveredService[] = refs(
      Array.from({ length: FOLD_ABOVE + 2 }, (_, i) => `prod/svc-${String(i).padStart(2, '0')}`).join('\n')
    ).map((ref, i) => ({
      ref,
      taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${ref.service}:3`,
      references: [
        {
          container: 'app',
          variable: 'DB',
          valueFrom: 'prod/db',
          pinned: i === FOLD_ABOVE + 1,
          versionId: undefined,
          versionStage: 'AWSPREVIOUS'
        }
      ]
    }))
    const report = put({ discovery: { found, servicesScanned: 60, taskDefinitionsRead: 52 } })
    const md = lines(report)
    const rows = md.filter((l) => l.startsWith('| prod | svc-'))
    expect(rows).toHaveLength(FOLD_ABOVE)
    // The pinned one (the last found) comes first; the last unpinned one is left out.
    expect(rows[0]).toBe('| prod | svc-51 | svc-51:3 | app.DB | `prod/db` | ⚠️ pinned to `AWSPREVIOUS`: a redeploy keeps the old value |')
    expect(rows[1]).toBe('| prod | svc-00 | svc-00:3 | app.DB | `prod/db` |  |')
    expect(rows.some((r) => r.startsWith('| prod | svc-50 |'))).toBe(false)
    expect(md).toContain('2 more services read the secret: see the ECS services section.')
  })

  it(`counts a service with one pinned reference of several as pinned, lists each once, and folds only past ${FOLD_ABOVE}`, () => {
    const reference = (pinned: boolean) => ({
      container: 'app',
      variable: pinned ? 'OLD' : 'DB',
      valueFrom: 'prod/db',
      pinned,
      versionStage: 'AWSPREVIOUS'
    })
    const discovered = (count: number, pinnedAt: number): DiscoveredService[] =>
      refs(Array.from({ length: count }, (_, i) => `prod/svc-${String(i).padStart(2, '0')}`).join('\n')).map((ref, i) => ({
        ref,
        taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${ref.service}:3`,
        references: i === pinnedAt ? [reference(false), reference(true)] : [reference(false)]
      }))
    const servicesListed = (md: string[]) => [...new Set(md.filter((l) => l.startsWith('| prod | svc-')).map((l) => l.split(' | ')[1]))]
    const name = (i: number) => `svc-${String(i).padStart(2, '0')}`

    const past = lines(put({ discovery: { found: discovered(FOLD_ABOVE + 2, 1), servicesScanned: 60, taskDefinitionsRead: 52 } }))
    expect(servicesListed(past)).toEqual(['svc-01', 'svc-00', ...Array.from({ length: FOLD_ABOVE - 2 }, (_, i) => name(i + 2))])
    const more = past.indexOf('2 more services read the secret: see the ECS services section.')
    expect(past.slice(more - 1, more + 2)).toEqual(['', '2 more services read the secret: see the ECS services section.', ''])

    // At the threshold every one is shown, in the order found.
    const at = lines(put({ discovery: { found: discovered(FOLD_ABOVE, FOLD_ABOVE - 1), servicesScanned: 60, taskDefinitionsRead: 50 } }))
    expect(servicesListed(at)).toEqual(Array.from({ length: FOLD_ABOVE }, (_, i) => name(i)))
    expect(at.some((l) => l.includes('more services read the secret'))).toBe(false)
  })

  it('is whole at exactly its byte limit; one byte less, it keeps whole lines and ends with a note', () => {
    // No services table to shrink: only the last resort can make it fit.
    const report = put({ error: { title: 'Stopped', message: 'the run was cancelled' } })
    const whole = summaryMarkdown(report)
    const limit = Buffer.byteLength(whole, 'utf8')
    expect(summaryMarkdown(report, limit)).toBe(whole)

    const cut = summaryMarkdown(report, limit - 1).split('\n')
    const note = '> The rest of this summary is cut: a job summary holds at most 1 MiB. The step outputs hold every service.'
    expect(cut.slice(-3)).toEqual(['', note, ''])
    // The longest run of whole lines that leaves 200 bytes for the note.
    const kept: string[] = []
    for (const line of whole.split('\n')) {
      if (Buffer.byteLength([...kept, line].join('\n'), 'utf8') + 1 + 200 > limit - 1) break
      kept.push(line)
    }
    expect(kept.length).toBeGreaterThan(5)
    expect(cut.slice(0, -3)).toEqual(kept)
    expect(Buffer.byteLength(cut.join('\n'), 'utf8')).toBeLessThanOrEqual(limit - 1)
  })
})
