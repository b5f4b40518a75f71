import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'

const ROTATION = { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate', durationMs: 1500 }

describe('long rollouts outlast the OIDC session', () => {
  it('assumes the role again before a short session expires, so a rollout longer than the session finishes', async () => {
    const { run, emu } = await runScenario(
      {
        // Sessions last 4 s whatever is asked; the rollout takes 12 s.
        roles: [{ arn: 'arn:aws:iam::123456789012:role/short', sessionSeconds: 4 }],
        secrets: [{ name: 'prod/db', value: 'pw-long-1' }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 12_000 }] }]
      },
      {
        'role-to-assume': 'arn:aws:iam::123456789012:role/short',
        mode: 'put',
        'generate-password': 'true',
        'secret-id': 'prod/db',
        services: 'prod/api'
      }
    )
    expect(run.code).toBe(0)
    expect(emu.count('AssumeRoleWithWebIdentity')).toBeGreaterThanOrEqual(3)
    expect(emu.count('GetIDToken')).toBe(emu.count('AssumeRoleWithWebIdentity'))
    expect(emu.calls.filter((c) => c.outcome === 'ExpiredTokenException')).toEqual([])
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('recovers from ExpiredTokenException when a session ends before its stated expiry', async () => {
    const { run, emu } = await runScenario(
      {
        roles: [{ arn: 'arn:aws:iam::123456789012:role/revoked', revokeAfterSeconds: 3 }],
        secrets: [{ name: 'prod/db', value: 'pw-long-2' }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 8000 }] }]
      },
      {
        'role-to-assume': 'arn:aws:iam::123456789012:role/revoked',
        mode: 'put',
        'generate-password': 'true',
        'secret-id': 'prod/db',
        services: 'prod/api'
      }
    )
    expect(run.code).toBe(0)
    expect(emu.calls.filter((c) => c.outcome === 'ExpiredTokenException').length).toBeGreaterThanOrEqual(1)
    expect(emu.count('AssumeRoleWithWebIdentity')).toBeGreaterThanOrEqual(2)
    expect(JSON.parse(run.outputs.services)[0].status).toBe('succeeded')
  }, 60_000)
})

describe('cancellation', () => {
  it('on SIGTERM stops within 2 s, reports finished and rolling-out services, sets outputs and fails', async () => {
    const { run } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-cancel' }],
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'fast', deploymentMs: 500 },
              { name: 'slow', deploymentMs: 60_000 }
            ]
          }
        ]
      },
      { mode: 'put', 'generate-password': 'true', 'secret-id': 'prod/db', services: 'prod/fast\nprod/slow' },
      { control: { interrupt: { when: 'prod/fast: rolled out', signal: 'SIGTERM' } } }
    )
    expect(run.code).toBe(1)
    expect(run.exitAfterSignalMs).toBeLessThan(2000)
    expect(run.outputs.result).toBe('failed')
    const services = JSON.parse(run.outputs.services) as { service: string; status: string; reason: string | null }[]
    expect(services.map((s) => [s.service, s.status])).toEqual([
      ['fast', 'succeeded'],
      ['slow', 'started']
    ])
    expect(services[1].reason).toMatch(/^still rolling out when the run was cancelled/)
    expect(errors(run)[0]).toMatchObject({
      title: 'Cancelled',
      message: expect.stringMatching(/is AWSCURRENT\. 2 deployments were started, 1 of them still rolling out; ECS carries on with them\.$/)
    })
    expect(run.summary).toContain(
      '| prod | [slow](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/slow/deployments?region=eu-west-1) | 🚀 started |'
    )
  }, 60_000)

  it('on SIGINT during a rotation names the AWSPENDING version and sets the secret outputs', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-cancel-2', rotation: { ...ROTATION, durationMs: 30_000 } }],
        clusters: [{ name: 'prod', services: [{ name: 'api' }] }]
      },
      { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' },
      { control: { interrupt: { when: 'Started rotation', signal: 'SIGINT' } } }
    )
    expect(run.code).toBe(1)
    expect(run.exitAfterSignalMs).toBeLessThan(2000)
    const pending = Object.keys(emu.secrets.stagesOf('prod/db')).find((id) => emu.secrets.stagesOf('prod/db')[id].includes('AWSPENDING'))
    expect(errors(run)[0].message).toContain(
      `cancelled during "Secret change". The rotation of prod/db is under way: version ${pending} is AWSPENDING`
    )
    expect(JSON.parse(run.outputs.services)[0].status).toBe('skipped')
    expect(run.outputs['secret-arn']).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod\/db-/)
    expect(run.outputs['previous-version-id']).toBe(
      Object.keys(emu.secrets.stagesOf('prod/db')).find((id) => emu.secrets.stagesOf('prod/db')[id].includes('AWSCURRENT'))
    )
    expect(run.summary).not.toContain('not changed')
  }, 60_000)
})

describe('rollback-on-failure', () => {
  it('moves AWSCURRENT back, redeploys the same services, and reports both rounds', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-good-old' }],
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'api', deploymentMs: 800 },
              { name: 'pdf', deploymentMs: 1000, outcome: 'circuit-breaker' }
            ]
          }
        ]
      },
      { mode: 'put', 'secret-string': 'pw-bad-new', 'secret-id': 'prod/db', services: 'prod/api\nprod/pdf', 'rollback-on-failure': 'true' }
    )
    expect(run.code).toBe(1)
    expect(emu.secrets.valueOf('prod/db')).toBe('pw-good-old')
    expect(emu.secrets.valueOf('prod/db', 'AWSPREVIOUS')).toBe('pw-bad-new')
    expect(emu.count('UpdateSecretVersionStage')).toBe(1)
    expect(emu.count('UpdateService')).toBe(4)
    expect(run.outputs['version-id']).toBe(run.outputs['previous-version-id'])
    expect(run.summary).toContain('### Rollback')
    expect(run.summary.match(/\| prod \| \[pdf\]\([^)]+\) \|/g)).toHaveLength(2)
    expect(leaks(run, sensitiveValues(emu, ['pw-bad-new']))).toEqual([])
  }, 60_000)
})

describe('max-concurrency', () => {
  it('never has more ECS requests in flight than max-concurrency, while still sending them in parallel', async () => {
    const { run, emu } = await runScenario(
      {
        // 50 ms per ECS answer makes overlapping requests visible to the endpoint.
        faults: [{ operation: 'ecs:*', kind: 'latency', every: 1, latencyMs: 50 }],
        clusters: [{ name: 'prod', services: Array.from({ length: 24 }, (_, i) => ({ name: `s${i}`, deploymentMs: 500 })) }]
      },
      { mode: 'redeploy', services: Array.from({ length: 24 }, (_, i) => `prod/s${i}`).join('\n'), 'max-concurrency': '3' }
    )
    expect(run.code).toBe(0)
    expect(emu.count('UpdateService')).toBe(24)
    expect(emu.maxInFlight.ecs).toBe(3)
  }, 60_000)
})
