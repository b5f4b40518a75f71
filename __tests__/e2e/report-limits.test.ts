import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'

describe('a large failed rollout, as the runner shows it', () => {
  it('emits at most 10 error annotations for 14 failed services, the last counting the 5 others, and keeps all 14 in the outputs', async () => {
    const names = Array.from({ length: 14 }, (_, i) => `svc${i}`)
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'kept-value-7' }],
        clusters: [{ name: 'prod', services: names.map((name) => ({ name, deploymentMs: 300, outcome: 'circuit-breaker' as const })) }]
      },
      { mode: 'redeploy', 'secret-id': 'prod/db', services: names.map((n) => `prod/${n}`).join('\n') }
    )
    expect(run.code).toBe(1)
    const shown = errors(run)
    expect(shown).toHaveLength(10)
    expect(shown.slice(0, 9).map((a) => a.title)).toEqual(names.slice(0, 9).map((n) => `prod/${n}`))
    expect(shown[9].title).toBe('5 more services did not succeed')
    expect(run.outputs['failed-services'].split('\n')).toEqual(names.map((n) => `prod/${n}`))
    for (const n of names)
      expect(run.summary).toContain(
        `| prod | [${n}](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/${n}/deployments?region=eu-west-1) | ❌ failed |`
      )
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)
})
