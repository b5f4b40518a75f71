import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'

const ARN_EU = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db'
const service = (region: string, cluster: string, account = '123456789012') => `arn:aws:ecs:${region}:${account}:service/${cluster}/api`

describe('replicated secrets', () => {
  const secret = {
    name: 'prod/db',
    value: 'pw-replicated',
    replicas: [
      { region: 'us-east-1', lagMs: 3000 },
      { region: 'ap-south-1', status: 'Failed' as const, statusMessage: 'Secret with this name already exists in this region' }
    ]
  }
  const clusters = [
    { name: 'prod-eu', services: [{ name: 'api', deploymentMs: 800 }] },
    { name: 'prod-us', region: 'us-east-1', services: [{ name: 'api', deploymentMs: 800 }] },
    { name: 'prod-ap', region: 'ap-south-1', services: [{ name: 'api', deploymentMs: 800 }] }
  ]

  it('redeploys a replica region only once its replica has the new version, and fails the region of a failed replica', async () => {
    const { run, emu } = await runScenario(
      { secrets: [secret], clusters },
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        services: [service('eu-west-1', 'prod-eu'), service('us-east-1', 'prod-us'), service('ap-south-1', 'prod-ap')].join('\n')
      }
    )
    expect(run.code).toBe(1)
    const outcomes = JSON.parse(run.outputs.services) as { cluster: string; status: string; reason: string | null }[]
    expect(outcomes.map((o) => `${o.cluster}:${o.status}`)).toEqual(['prod-eu:succeeded', 'prod-us:succeeded', 'prod-ap:failed'])
    expect(outcomes[2].reason).toBe(
      'not redeployed: the replica of prod/db in ap-south-1 failed (Secret with this name already exists in this region), so it does not have the new version'
    )
    const version = run.outputs['version-id']
    const arrived = emu.secrets.currentInRegionSince('prod/db', 'us-east-1', version) as number
    const updates = emu.calls.filter((c) => c.operation === 'UpdateService')
    expect(updates.map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1'])
    expect(updates.find((c) => c.region === 'us-east-1')?.at).toBeGreaterThanOrEqual(arrived)
    // The primary region did not wait for the replica.
    expect(updates.find((c) => c.region === 'eu-west-1')?.at).toBeLessThan(arrived)
    expect(run.summary).toMatch(/\| us-east-1 \| ✅ in sync \| \d+s \(\d\d:\d\d:\d\d UTC\) \| {2}\|/)
    expect(run.summary).toContain('| ap-south-1 | ❌ failed |  | the replica of prod/db in ap-south-1 failed')
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('discovers a service that reads the replica in its own region', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [secret],
        clusters: [{ name: 'prod-us', region: 'us-east-1', services: [{ name: 'api', deploymentMs: 800, taskDefinition: 'api-us:1' }] }],
        taskDefinitions: [
          {
            family: 'api-us',
            revision: 1,
            containers: [{ name: 'api', secrets: [{ name: 'DB', valueFrom: ARN_EU.replace('eu-west-1', 'us-east-1') }] }]
          }
        ]
      },
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        'discover-services': 'true',
        clusters: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod-us'
      }
    )
    expect(errors(run)).toEqual([])
    expect(JSON.parse(run.outputs.services)).toEqual([expect.objectContaining({ cluster: 'prod-us', service: 'api', status: 'succeeded' })])
    expect(emu.count('UpdateService')).toBe(1)
  }, 60_000)

  it('refuses a secret-id in a replica region before any write, naming the primary region', async () => {
    const { run, emu } = await runScenario(
      { secrets: [secret], clusters },
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        'aws-region': 'us-east-1',
        services: service('us-east-1', 'prod-us')
      }
    )
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(errors(run)[0].message).toContain(
      '`secret-id`: "prod/db" in us-east-1 is a replica; Secrets Manager takes changes only in its primary region, eu-west-1'
    )
  }, 60_000)
})

describe('services in other accounts', () => {
  const OTHER_ROLE = 'arn:aws:iam::222222222222:role/rollout'
  const scenario = (role: Record<string, unknown> = {}) => ({
    roles: [{ arn: OTHER_ROLE, trustedAccounts: ['123456789012'], ...role }],
    secrets: [{ name: 'prod/db', value: 'pw-accounts' }],
    clusters: [
      { name: 'prod', services: [{ name: 'api', deploymentMs: 800 }] },
      { name: 'prod', account: '222222222222', services: [{ name: 'api', deploymentMs: 6000 }] }
    ]
  })
  const inputs = {
    mode: 'put',
    'secret-id': 'prod/db',
    'generate-password': 'true',
    services: `prod/api\n${service('eu-west-1', 'prod', '222222222222')}`
  }

  it("redeploys a service in another account with that account's role, renewed when its session ends", async () => {
    const { run, emu } = await runScenario(scenario({ sessionSeconds: 3 }), { ...inputs, 'cross-account-roles': OTHER_ROLE })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    const updates = emu.calls.filter((c) => c.operation === 'UpdateService')
    expect(updates.map((c) => c.account).sort()).toEqual(['123456789012', '222222222222'])
    expect(emu.count('AssumeRole')).toBeGreaterThanOrEqual(2)
    expect(emu.calls.filter((c) => c.outcome === 'ExpiredTokenException')).toEqual([])
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('refuses a service in an account with no role before any write, naming the account and the input', async () => {
    const { run, emu } = await runScenario(scenario(), inputs)
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(errors(run)[0].message).toContain(
      'line 2 prod/api: in account 222222222222, but the credentials are in account 123456789012 and `cross-account-roles` has no role for account 222222222222'
    )
    expect(run.summary).not.toContain('does not exist')
  }, 60_000)

  it('stops before any write when a role of cross-account-roles does not trust the main session', async () => {
    const { run, emu } = await runScenario(scenario({ trustedAccounts: ['999999999999'] }), {
      ...inputs,
      'cross-account-roles': OTHER_ROLE
    })
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(errors(run)[0].message).toMatch(
      /^`cross-account-roles`: could not assume arn:aws:iam::222222222222:role\/rollout for account 222222222222: AccessDenied: .*Hint: the trust policy/
    )
  }, 60_000)

  it('redeploys once a service listed by an ARN of the main account and found by discovery in a cluster given by name', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-once' }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 800, taskDefinition: 'api:1' }] }],
        taskDefinitions: [{ family: 'api', revision: 1, containers: [{ name: 'api', secrets: [{ name: 'DB', valueFrom: `${ARN_EU}` }] }] }]
      },
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        services: service('eu-west-1', 'prod'),
        'discover-services': 'true',
        clusters: 'prod'
      }
    )
    expect(errors(run)).toEqual([])
    expect(JSON.parse(run.outputs.services)).toHaveLength(1)
    expect(emu.count('UpdateService')).toBe(1)
  }, 60_000)
})
