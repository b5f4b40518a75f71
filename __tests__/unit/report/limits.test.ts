import { describe, expect, it } from '@jest/globals'
import { fleet, STOPPED_REASON } from '../../../__fixtures__/fleet.js'
import type { ServiceStatus } from '../../../src/ecs/outcome.js'
import { auditLines } from '../../../src/report/audit.js'
import { errorAnnotations, warningAnnotations } from '../../../src/report/annotations.js'
import type { RunReport } from '../../../src/report/run-report.js'
import { servicesSection } from '../../../src/report/services-section.js'
import { link } from '../../../src/text/markdown.js'
import { SUMMARY_MAX_BYTES, summaryMarkdown } from '../../../src/report/summary.js'
import type { Discovery } from '../../../src/ecs/discover.js'

const report = (services: RunReport['services'], extra: Partial<RunReport> = {}): RunReport => ({ services, waited: true, ...extra })
const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

describe('error annotations within GitHub limit of 10 per step', () => {
  it('shows 9 of 30 failed services, failed before timed-out, and a 10th that counts the rest and says where they are', () => {
    // Timed-out services come first in the list, failed ones after: the failures must still lead.
    const services = fleet(30, 3, (i) => (i < 10 ? 'timed-out' : 'failed'))
    const annotations = errorAnnotations(report(services))
    expect(annotations).toHaveLength(10)
    expect(annotations.slice(0, 9).map((a) => a.title)).toEqual(services.slice(10, 19).map((s) => s.ref.label))
    expect(annotations[0].message).toBe(`failed: ${STOPPED_REASON}`)
    expect(annotations[9]).toEqual({
      title: '21 more services did not succeed',
      message:
        '21 more failed or timed-out services are not annotated (GitHub shows 10 errors per step): every service is in the job summary and in the `services` and `failed-services` outputs.'
    })
  })

  it('shows all of them when they fit, failed first', () => {
    const services = fleet(10, 2, (i) => (i < 3 ? 'timed-out' : 'failed'))
    const titles = errorAnnotations(report(services)).map((a) => a.title)
    expect(titles).toEqual([...services.slice(3), ...services.slice(0, 3)].map((s) => s.ref.label))
  })

  it('puts the error that stopped the run first, and counts it in the limit', () => {
    const services = fleet(12, 2, () => 'failed')
    const annotations = errorAnnotations(report(services, { error: { title: 'Cancelled', message: 'The run was cancelled' } }))
    expect(annotations.map((a) => a.title)).toEqual([
      'Cancelled',
      ...services.slice(0, 8).map((s) => s.ref.label),
      '4 more services did not succeed'
    ])
  })

  it('leaves succeeded services out', () => {
    expect(errorAnnotations(report(fleet(40, 2, () => 'succeeded')))).toEqual([])
  })
})

describe('warning annotations within the limit', () => {
  it('shows 8 pinned references of 12, then one that counts the other 4, leaving one warning for publishing problems', () => {
    const found = fleet(12, 1, () => 'succeeded').map((s) => ({
      ref: s.ref,
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1',
      references: [{ container: 'app', variable: 'DB', valueFrom: 'prod/db::AWSPREVIOUS', versionStage: 'AWSPREVIOUS', pinned: true }]
    })) as unknown as Discovery['found']
    const warnings = warningAnnotations(report([], { discovery: { found, servicesScanned: 12, taskDefinitionsRead: 1 } as Discovery }))
    expect(warnings).toHaveLength(9)
    expect(warnings[7].title).toBe('c0/svc7: container app')
    expect(warnings[8].title).toBe('4 more pinned secret references')
  })
})

/** A service cell: the name, linked to the service's deployments in the ECS console. */
const svc = (cluster: string, service: string, region = 'eu-west-1') =>
  `[${service}](https://${region}.console.aws.amazon.com/ecs/v2/clusters/${cluster}/services/${service}/deployments?region=${region})`

describe('the services section', () => {
  it('is one table up to the fold threshold', () => {
    const services = fleet(2, 2, (i) => (i === 0 ? 'succeeded' : 'failed'))
    expect(servicesSection(services, { maxBytes: SUMMARY_MAX_BYTES, foldAbove: 2 }).join('\n')).toBe(
      [
        '| cluster | service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
        '|---|---|---|---|---|---|---|---|',
        `| c0 | ${svc('c0', 'svc0')} | ✅ succeeded | 1m 0s | 2/2 |  |  |  |`,
        `| c1 | ${svc('c1', 'svc1')} | ❌ failed | 1m 1s | 2/2 |  | ${STOPPED_REASON} |  |`
      ].join('\n')
    )
  })

  it('beyond it, lists failures first in full and folds the rest into one <details> per cluster', () => {
    const statuses: ServiceStatus[] = ['succeeded', 'timed-out', 'succeeded', 'failed', 'started']
    const services = fleet(5, 2, (i) => statuses[i])
    expect(servicesSection(services, { maxBytes: SUMMARY_MAX_BYTES, foldAbove: 4 }).join('\n')).toBe(
      [
        '5 services: 2 succeeded, 1 failed, 1 timed-out, 1 started.',
        '',
        '#### Did not succeed (2)',
        '',
        '| cluster | service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
        '|---|---|---|---|---|---|---|---|',
        `| c1 | ${svc('c1', 'svc3')} | ❌ failed | 1m 3s | 2/2 |  | ${STOPPED_REASON} |  |`,
        `| c1 | ${svc('c1', 'svc1')} | ⏱️ timed out | 1m 1s | 2/2 |  | still rolling out at deployment-timeout (30m 0s): 1/2 running |  |`,
        '',
        '<details><summary><b>c0</b>: 3 services, 2 succeeded, 1 started</summary>',
        '',
        '| service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
        '|---|---|---|---|---|---|---|',
        `| ${svc('c0', 'svc0')} | ✅ succeeded | 1m 0s | 2/2 |  |  |  |`,
        `| ${svc('c0', 'svc2')} | ✅ succeeded | 1m 2s | 2/2 |  |  |  |`,
        `| ${svc('c0', 'svc4')} | 🚀 started | 1m 4s | 2/2 |  |  |  |`,
        '',
        '</details>',
        ''
      ].join('\n')
    )
  })

  it('folds without a failures table when all succeeded, and names the region when clusters span several', () => {
    const statuses: ServiceStatus[] = ['succeeded', 'skipped', 'planned']
    const services = fleet(3, 1, (i) => statuses[i]).map((s, i) => ({
      ...s,
      ref: { ...s.ref, region: i === 2 ? 'us-east-1' : 'eu-west-1' }
    }))
    expect(servicesSection(services, { maxBytes: SUMMARY_MAX_BYTES, foldAbove: 2 })).toEqual([
      '3 services: 1 succeeded, 1 skipped, 1 planned.',
      '',
      '<details><summary><b>c0 (eu-west-1)</b>: 2 services, 1 succeeded, 1 skipped</summary>',
      '',
      '| service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
      '|---|---|---|---|---|---|---|',
      `| ${svc('c0', 'svc0')} | ✅ succeeded | 1m 0s | 2/2 |  |  |  |`,
      `| ${svc('c0', 'svc1')} | ⏭️ skipped | 1m 1s | 2/2 |  |  |  |`,
      '',
      '</details>',
      '',
      '<details><summary><b>c0 (us-east-1)</b>: 1 services, 1 planned</summary>',
      '',
      '| service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
      '|---|---|---|---|---|---|---|',
      `| ${svc('c0', 'svc2', 'us-east-1')} | 📝 planned | 1m 2s | 2/2 |  |  |  |`,
      '',
      '</details>',
      ''
    ])
  })

  it('uses its byte budget exactly: at the limit every row shows, one byte less and the last row is counted instead', () => {
    const services = fleet(6, 2, (i) => (i === 1 ? 'failed' : 'succeeded'))
    const options = { maxBytes: SUMMARY_MAX_BYTES, foldAbove: 4 }
    const all = servicesSection(services, options)
    // Every line is accounted for as it is added, and 400 bytes stay free for the closing lines.
    const lastRow = all.lastIndexOf(`| ${svc('c1', 'svc5')} | ✅ succeeded | 1m 5s | 2/2 |  |  |  |`)
    const atLimit = Buffer.byteLength(all.slice(0, lastRow + 1).join('\n') + '\n', 'utf8') + 400
    expect(servicesSection(services, { ...options, maxBytes: atLimit })).toEqual(all)
    const short = servicesSection(services, { ...options, maxBytes: atLimit - 1 })
    expect(short.slice(0, lastRow)).toEqual(all.slice(0, lastRow))
    expect(short.slice(lastRow)).toEqual([
      '',
      '</details>',
      '',
      '',
      '> 1 more services are not shown: a job summary holds at most 1 MiB. Every service is in the `services` output, and failures in `failed-services`.'
    ])
  })

  it('links a CodeDeploy deployment to its console page, and shows no link where the partition has no public console', () => {
    const [cd, iso] = fleet(2, 1, () => 'succeeded')
    const rows = servicesSection(
      [
        { ...cd, deploymentId: 'd-ABCDEF123', kind: 'blue/green through CodeDeploy', ref: { ...cd.ref, region: 'cn-north-1' } },
        { ...iso, deploymentId: 'd-ABCDEF456', kind: 'blue/green through CodeDeploy', ref: { ...iso.ref, region: 'us-iso-east-1' } }
      ],
      { maxBytes: SUMMARY_MAX_BYTES }
    )
    expect(rows.slice(2)).toEqual([
      '| c0 | [svc0](https://cn-north-1.console.amazonaws.cn/ecs/v2/clusters/c0/services/svc0/deployments?region=cn-north-1) | ✅ succeeded | 1m 0s | 2/2 |  |  | blue/green through CodeDeploy: deployment [d-ABCDEF123](https://cn-north-1.console.amazonaws.cn/codesuite/codedeploy/deployments/d-ABCDEF123?region=cn-north-1) |',
      '| c0 | svc1 | ✅ succeeded | 1m 1s | 2/2 |  |  | blue/green through CodeDeploy |'
    ])
  })

  it('escapes the text of a link and percent-encodes what could end it', () => {
    expect(link('a_b*c|d', 'https://x.example/p(q) r|s')).toBe('[a_b\\*c\\|d](https://x.example/p%28q%29%20r%7Cs)')
  })

  it('shows only the count when not even a table header fits', () => {
    const services = fleet(3, 1, () => 'succeeded')
    expect(servicesSection(services, { maxBytes: 500 })).toEqual([
      '',
      '> 3 more services are not shown: a job summary holds at most 1 MiB. Every service is in the `services` output, and failures in `failed-services`.'
    ])
  })
})

describe('a summary of 2,000 services', () => {
  const statusOf = (i: number): ServiceStatus => (i % 50 === 7 ? 'failed' : i % 50 === 9 ? 'timed-out' : 'succeeded')

  it('stays under 1 MiB, shows every failure in full and every other service folded by cluster', () => {
    const services = fleet(2000, 20, statusOf)
    const summary = summaryMarkdown(
      report(services, { run: { id: '9', attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com' } })
    )
    expect(bytes(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    const failures = services.filter((s) => s.status !== 'succeeded')
    expect(failures).toHaveLength(80)
    for (const s of failures)
      expect(summary).toContain(
        `| ${s.ref.clusterName} | ${svc(s.ref.clusterName, s.ref.service)} | ${s.status === 'failed' ? '❌' : '⏱️'}`
      )
    for (const s of services.filter((x) => x.status === 'succeeded'))
      expect(summary).toContain(`\n| ${svc(s.ref.clusterName, s.ref.service)} | ✅ succeeded |`)
    expect(summary.match(/<details>/g)).toHaveLength(20)
    expect(summary).toContain('<details><summary><b>c7</b>: 80 services, 80 succeeded</summary>')
    expect(summary).not.toContain('not shown')
  })

  it('when every one fails with a long reason, cuts rows at 1 MiB and says how many are left out and where they are', () => {
    const long = `${STOPPED_REASON} ${'x'.repeat(600)}`
    const services = fleet(2000, 20, () => 'failed').map((s) => ({ ...s, reason: long }))
    const summary = summaryMarkdown(report(services))
    expect(bytes(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(bytes(summary)).toBeGreaterThan(SUMMARY_MAX_BYTES - 2000)
    const shown = summary.match(/ \| ❌ failed \|/g)?.length ?? 0
    const note = /> (\d+) more services are not shown: a job summary holds at most 1 MiB\. Every service is in the `services` output/.exec(
      summary
    )
    expect(Number(note?.[1]) + shown).toBe(2000)
  })

  it('keeps within a smaller limit too, sharing it between the two rounds of a rollback', () => {
    const services = fleet(2000, 20, statusOf)
    const rollback = { secret: { status: 'succeeded', fromVersionId: 'v2', versionId: 'v1' }, services } as unknown as RunReport['rollback']
    const summary = summaryMarkdown(report(services, { rollback }), 100_000)
    expect(bytes(summary)).toBeLessThanOrEqual(100_000)
    expect(summary.match(/more services are not shown/g)).toHaveLength(2)
    expect(summary).toContain('### Rollback')
  })
})

describe('the audit trail', () => {
  it('names the actor, workflow, event, commit and run', () => {
    const run = {
      id: '1001',
      attempt: '2',
      repository: 'acme/infra',
      serverUrl: 'https://github.com',
      actor: 'octocat',
      workflow: 'Rotate `db` | nightly',
      event: 'schedule',
      sha: '0123456789abcdef0123456789abcdef01234567'
    }
    expect(auditLines(run)).toEqual([
      'Run by [octocat](https://github.com/octocat) · workflow ``Rotate `db` | nightly`` · event `schedule` · commit [0123456789ab](https://github.com/acme/infra/commit/0123456789abcdef0123456789abcdef01234567) · [workflow run 1001, attempt 2](https://github.com/acme/infra/actions/runs/1001/attempts/2)',
      ''
    ])
    expect(auditLines({ attempt: '1', serverUrl: 'https://github.com' })).toEqual([])
  })
})
