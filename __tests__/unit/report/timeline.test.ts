import { describe, expect, it } from '@jest/globals'
import { fleet } from '../../../__fixtures__/fleet.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'
import type { SecretResult } from '../../../src/secret/apply.js'
import { TIMELINE_MAX_SERVICES, timelineLines } from '../../../src/report/timeline.js'
import type { RunReport } from '../../../src/report/run-report.js'

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0)
const secret = { mode: 'rotate', name: 'prod/db', status: 'succeeded', startedAt: T0, durationSeconds: 12.4 } as SecretResult

/** Services that started one after the other after the secret, each taking its fixture duration. */
function timed(count: number, clusters: number, statusOf: Parameters<typeof fleet>[2]) {
  return fleet(count, clusters, statusOf).map((s, i) => ({ ...s, startedAt: T0 + 13_000 + i * 100 }))
}

describe('the timeline', () => {
  it('draws the secret change, then each service from redeploy to done by cluster, failures marked', () => {
    const services: ServiceOutcome[] = timed(4, 2, (i) => (['succeeded', 'failed', 'timed-out', 'started'] as const)[i])
    services[3].durationSeconds = undefined
    services.push({ ...fleet(1, 1, () => 'skipped')[0] })
    const report: RunReport = { services, waited: true, secret }
    expect(timelineLines(report).join('\n')).toBe(
      [
        '### Timeline',
        '',
        '```mermaid',
        'gantt',
        '  dateFormat x',
        '  axisFormat %H:%M:%S',
        '  section Secret',
        `  rotate prod/db :done, secret, ${T0}, ${T0 + 12_400}`,
        '  section c0',
        `  svc0 :done, s0, ${T0 + 13_000}, ${T0 + 13_000 + 60_000}`,
        `  svc2 (timed out) :crit, active, s1, ${T0 + 13_200}, ${T0 + 13_200 + 62_000}`,
        '  section c1',
        `  svc1 (failed) :crit, s2, ${T0 + 13_100}, ${T0 + 13_100 + 61_000}`,
        '```',
        ''
      ].join('\n')
    )
  })

  it('shows the failures and the slowest of a large fleet, and says the table has them all', () => {
    const services = timed(2000, 20, (i) => (i % 100 === 5 ? 'failed' : 'succeeded'))
    const lines = timelineLines({ services, waited: true })
    const bars = lines.filter((l) => /:(done|crit)/.test(l))
    expect(bars).toHaveLength(TIMELINE_MAX_SERVICES)
    expect(bars.filter((l) => l.includes('(failed)'))).toHaveLength(20)
    expect(lines).toContain(`The ${TIMELINE_MAX_SERVICES} of 2000 services that failed or took longest; the table above has them all.`)
  })

  it('keeps characters that end or comment a Mermaid task out of names, and draws nothing when nothing ran', () => {
    const lines = timelineLines({ services: [], waited: true, secret: { ...secret, name: 'app:db#1;x' } })
    expect(lines).toContain(`  rotate app_db_1_x :done, secret, ${T0}, ${T0 + 12_400}`)
    expect(timelineLines({ services: fleet(3, 1, () => 'skipped'), waited: true })).toEqual([])
  })

  it('keeps failures, then time-outs, then the slowest, and marks a failed secret change', () => {
    // svc0 failed and svc1 timed out fastest of all; svc2..svc43 succeeded, each slower than the last.
    const services = timed(TIMELINE_MAX_SERVICES + 4, 1, (i) => (i === 0 ? 'failed' : i === 1 ? 'timed-out' : 'succeeded'))
    const failedSecret = { ...secret, name: ' prod  db ', status: 'failed' } as SecretResult
    const lines = timelineLines({ services, waited: true, secret: failedSecret })
    expect(lines.slice(0, 4)).toEqual([
      '### Timeline',
      '',
      `The ${TIMELINE_MAX_SERVICES} of ${TIMELINE_MAX_SERVICES + 4} services that failed or took longest; the table above has them all.`,
      ''
    ])
    expect(lines).toContain(`  rotate prod db :crit, secret, ${T0}, ${T0 + 12_400}`)
    const drawn = lines.filter((l) => /^ {2}svc/.test(l)).map((l) => l.slice(2, l.indexOf(' :')))
    const slowest = Array.from({ length: TIMELINE_MAX_SERVICES - 2 }, (_, i) => `svc${i + 6}`)
    expect(drawn).toEqual(['svc0 (failed)', 'svc1 (timed out)', ...slowest])
  })
})
