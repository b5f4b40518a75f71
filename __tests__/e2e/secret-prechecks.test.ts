import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'

const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate'
const cluster = { name: 'prod', services: [{ name: 'api', deploymentMs: 800 }] }

describe('secret pre-checks that follow AWS', () => {
  it('refuses put on a secret RDS manages, before any write, naming the service', async () => {
    const { run, emu } = await runScenario(
      { secrets: [{ name: 'rds/master', value: '{"password":"pw-rds-managed"}', owningService: 'rds' }], clusters: [cluster] },
      { mode: 'put', 'secret-id': 'rds/master', 'generate-password': 'true', services: 'prod/api' }
    )
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(errors(run).map((a) => a.message)).toEqual([
      expect.stringMatching(/^`secret-id`: secret "rds\/master" is managed by rds \(OwningService\).*Change it through rds/)
    ])
  }, 60_000)

  it('rotates a secret RDS manages without a rotation function (managed rotation)', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'rds/master', value: '{"password":"pw-rds-rotate"}', owningService: 'rds', rotation: { durationMs: 1000 } }],
        clusters: [cluster]
      },
      { mode: 'rotate', 'secret-id': 'rds/master', services: 'prod/api' }
    )
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(emu.count('RotateSecret')).toBe(1)
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 60_000)

  it('refuses rotate when automatic rotation is turned off, and rotates (turning it back on) with if-rotation-disabled: enable', async () => {
    const scenario = {
      secrets: [{ name: 'prod/db', value: 'pw-rotation-off', rotation: { lambdaArn: LAMBDA, enabled: false, durationMs: 1000 } }],
      clusters: [cluster]
    }
    const refused = await runScenario(scenario, { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' })
    expect(refused.run.code).toBe(1)
    expect(refused.emu.writes()).toEqual([])
    expect(errors(refused.run)[0].message).toContain(
      'secret "prod/db": automatic rotation is turned off, and RotateSecret turns it back on (every 30 days). Set `if-rotation-disabled: enable`'
    )

    const enabled = await runScenario(scenario, {
      mode: 'rotate',
      'secret-id': 'prod/db',
      services: 'prod/api',
      'if-rotation-disabled': 'enable'
    })
    expect(enabled.run.code).toBe(0)
    expect(enabled.emu.secrets.secrets[0].rotationEnabled).toBe(true)
  }, 60_000)

  it('does not retry LimitExceededException (the version quota) and explains it', async () => {
    const { run, emu } = await runScenario(
      { secrets: [{ name: 'prod/db', value: 'pw-quota', previousValue: 'pw-quota-0', versionQuota: 2 }], clusters: [cluster] },
      { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api' }
    )
    expect(run.code).toBe(1)
    expect(emu.count('PutSecretValue')).toBe(1)
    expect(emu.count('UpdateService')).toBe(0)
    const secretError = errors(run).find((a) => a.title === 'secret prod/db')
    expect(secretError?.message).toMatch(
      /^put failed: PutSecretValue failed: LimitExceededException: The request failed because it would exceed one of the Secrets Manager quotas\. This is a Secrets Manager quota, not throttling, so it was not retried/
    )
  }, 60_000)
})

describe('STS hints under the names the SDK throws', () => {
  it("explains role-duration-seconds above the role's MaxSessionDuration", async () => {
    const { run, emu } = await runScenario(
      { secrets: [{ name: 'prod/db', value: 'pw-sts-1' }], clusters: [cluster] },
      { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api', 'role-duration-seconds': '7200' }
    )
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(errors(run)[0].message).toContain(
      "ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role. Hint: `role-duration-seconds` (7200) is above the role's maximum session duration"
    )
  }, 60_000)

  it('explains InvalidIdentityTokenException when the account has no OIDC provider', async () => {
    const { run } = await runScenario(
      {
        oidc: { subject: 'repo:acme/infra:ref:refs/heads/main', providerRegistered: false },
        secrets: [{ name: 'prod/db', value: 'pw-sts-2' }],
        clusters: [cluster]
      },
      { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api' }
    )
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toMatch(
      /InvalidIdentityTokenException: No OpenIDConnect provider found in your account for https:\/\/token\.actions\.githubusercontent\.com\. Hint: the account needs an IAM OIDC identity provider/
    )
  }, 60_000)
})
