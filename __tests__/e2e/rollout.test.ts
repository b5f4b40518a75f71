import { describe, expect, it } from '@jest/globals'
import { CASES, type CaseName } from '../../__fixtures__/cases.js'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'

const runCase = (name: CaseName) => {
  const c: (typeof CASES)[CaseName] = CASES[name]
  return runScenario(c.scenario, c.inputs, 'runner' in c ? { env: (e) => ({ AWS_ENDPOINT_URL: e.url }) } : {})
}

describe('the bundled action against the local endpoint', () => {
  it('puts a value and redeploys 2 clusters x 3 services, then reports all of them', async () => {
    const value = CASES['put, 2 clusters x 3 services'].inputs['secret-string']
    const { run, emu } = await runCase('put, 2 clusters x 3 services')
    expect(run.code).toBe(0)
    expect(errors(run)).toEqual([])
    const stages = emu.secrets.stagesOf('prod/db')
    expect(stages[run.outputs['version-id']]).toEqual(['AWSCURRENT'])
    expect(stages[run.outputs['previous-version-id']]).toEqual(['AWSPREVIOUS'])
    expect(emu.secrets.valueOf('prod/db')).toBe(value)
    expect(emu.secrets.valueOf('prod/db', 'AWSPREVIOUS')).toBe('old-value-41')
    const services = JSON.parse(run.outputs.services) as { cluster: string; status: string }[]
    expect(services.map((s) => `${s.cluster}:${s.status}`)).toEqual([
      ...Array(3).fill('prod:succeeded'),
      ...Array(3).fill('batch:succeeded')
    ])
    expect(run.outputs.result).toBe('succeeded')
    expect(run.outputs['failed-services']).toBe('')
    expect(emu.count('UpdateService')).toBe(6)
    expect(run.summary).toMatch(/\| batch \| \[svc3\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \|/)
    // Every read waited for the API budget; the summary counts them as the endpoint saw them.
    const reads = (ops: string[]) => emu.calls.filter((c) => ops.includes(c.operation)).length
    expect(run.summary).toContain(`| eu-west-1 | service-reads | ${reads(['DescribeServices'])} | 0 |`)
    expect(run.summary).toContain(`| eu-west-1 | cluster-resource-reads | ${reads(['ListTasks', 'DescribeTasks'])} | 0 |`)
    // One proof per cluster (ListTasks + DescribeTasks), not per service.
    expect(reads(['ListTasks', 'DescribeTasks'])).toBe(4)
    expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringContaining('6 services: 6 succeeded')
    ])
    const values = sensitiveValues(emu, [value, 'older-value-40'])
    // The scan covers the new and old values, the role's keys and the OIDC token.
    expect(values).toEqual(expect.arrayContaining([value, 'old-value-41', emu.sts.tokens[0], emu.sts.issued[0].secretAccessKey]))
    expect(leaks(run, values)).toEqual([])
  }, 60_000)

  it('rotates with a 3 s rotation function and waits for AWSCURRENT before redeploying', async () => {
    const { run, emu } = await runCase('rotate, 3 s rotation')
    expect(run.code).toBe(0)
    expect(emu.secrets.stagesOf('prod/db')[run.outputs['version-id']]).toEqual(['AWSCURRENT'])
    // The service was redeployed only after the rotation finished.
    const rotated = emu.calls.find((c) => c.operation === 'RotateSecret')?.at ?? 0
    const redeployed = emu.calls.find((c) => c.operation === 'UpdateService')?.at ?? 0
    expect(redeployed - rotated).toBeGreaterThanOrEqual(3000)
    expect(run.summary).toContain('| prod/db | rotate |')
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('fails a rotation that never finishes at rotation-timeout, redeploys nothing and says AWSPENDING is stuck', async () => {
    const { run, emu } = await runCase('rotation never finishes')
    expect(run.code).toBe(1)
    expect(emu.count('UpdateService')).toBe(0)
    expect(emu.secrets.valueOf('prod/db')).toBe('pw-unchanged')
    expect(errors(run)).toEqual([
      { level: 'error', title: 'secret prod/db', message: expect.stringMatching(/stuck in AWSPENDING.*AWSCURRENT is still on/) }
    ])
    expect(run.outputs['version-id']).toBe('')
    expect(JSON.parse(run.outputs.services)[0]).toMatchObject({ status: 'skipped' })
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('reports a circuit-breaker failure in one service of five and still waits for the other four', async () => {
    const { run, emu } = await runCase('circuit breaker in 1 of 5')
    expect(run.code).toBe(1)
    const services = JSON.parse(run.outputs.services) as { service: string; status: string; reason: string | null }[]
    expect(services.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded'])
    expect(services[2].reason).toContain('circuit breaker')
    expect(services[2].reason).toContain('stopped task: ResourceInitializationError: unable to pull secrets')
    expect(run.outputs['failed-services']).toBe('prod/pdf')
    expect(errors(run)).toEqual([{ level: 'error', title: 'prod/pdf', message: expect.stringContaining('failed: deployment failed') }])
    // The new value stays: the failure is in the service, and the summary says so.
    expect(run.outputs['version-id']).not.toBe('')
    expect(run.summary).toContain(
      '| prod | [pdf](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/pdf/deployments?region=eu-west-1) | ❌ failed |'
    )
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('catches a missing service and a missing cluster in preflight and writes nothing', async () => {
    const { run, emu } = await runCase('preflight: missing service and cluster')
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(emu.secrets.valueOf('prod/db')).toBe('keep-me-1')
    const [error] = errors(run)
    expect(error.title).toBe('Service preflight')
    expect(error.message).toContain('line 2 prod/gone (eu-west-1): service "gone" does not exist')
    expect(error.message).toContain('line 3 staging/api (eu-west-1): cluster "staging" does not exist')
    expect(leaks(run, sensitiveValues(emu, ['never-written']))).toEqual([])
  }, 60_000)

  it('without `permissions: id-token: write` tells the user what to add, before any AWS call', async () => {
    const { run, emu } = await runCase('no id-token permission')
    expect(run.code).toBe(1)
    expect(emu.calls).toEqual([])
    expect(errors(run)[0]).toMatchObject({
      title: 'AWS credentials',
      message: expect.stringContaining('Add `permissions: id-token: write`')
    })
  }, 30_000)

  it('explains a role whose trust policy refuses the token audience', async () => {
    const { run, emu } = await runScenario(
      { secrets: [{ name: 'prod/db', value: 'keep-me-3' }] },
      { mode: 'rotate', 'secret-id': 'prod/db', audience: 'other-audience' }
    )
    expect(run.code).toBe(1)
    expect(emu.sts.audiences).toEqual(['other-audience'])
    expect(emu.count('AssumeRoleWithWebIdentity')).toBe(1) // AccessDenied is not retried
    expect(errors(run)[0].message).toMatch(/AccessDenied: Not authorized.*trust policy/)
  }, 30_000)
})
