import { describe, expect, it, jest } from '@jest/globals'
import { AssumeRoleWithWebIdentityCommand, IDPRejectedClaimException, InvalidIdentityTokenException, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { assumeRoleWithOidc, oidcCredentialsProvider, refreshingProvider, type OidcDeps } from '../../../src/aws/oidc-credentials.js'

const role = {
  arn: 'arn:aws:iam::123456789012:role/deployer',
  sessionName: 'secret-rollout-42',
  durationSeconds: 3600,
  audience: 'sts.amazonaws.com'
}
const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req' }

function setup(clock = fakeClock()) {
  const sts = mockClient(STSClient)
  const masked: string[] = []
  const getIDToken = jest.fn(async (audience: string) => `jwt-for-${audience}-${getIDToken.mock.calls.length}`)
  const deps: OidcDeps = { getIDToken, sts: new STSClient({ region: 'eu-west-1' }), mask: (v) => void masked.push(v), env, clock }
  return { sts, masked, getIDToken, deps, clock }
}

const credentials = (n: number, expiration: Date) => ({
  Credentials: { AccessKeyId: `AKIA${n}`, SecretAccessKey: `secret-${n}`, SessionToken: `session-${n}`, Expiration: expiration }
})

describe('assumeRoleWithOidc', () => {
  it('exchanges the OIDC token for the audience and masks token and keys', async () => {
    const { sts, masked, getIDToken, deps } = setup()
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(credentials(1, new Date(Date.UTC(2026, 0, 1, 1))))
    const result = await assumeRoleWithOidc(role, deps)
    expect(getIDToken).toHaveBeenCalledWith('sts.amazonaws.com')
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)[0].args[0].input).toEqual({
      RoleArn: role.arn,
      RoleSessionName: 'secret-rollout-42',
      WebIdentityToken: 'jwt-for-sts.amazonaws.com-1',
      DurationSeconds: 3600
    })
    expect(result.accessKeyId).toBe('AKIA1')
    expect(masked).toEqual(expect.arrayContaining(['jwt-for-sts.amazonaws.com-1', 'AKIA1', 'secret-1', 'session-1']))
  })

  it('tells the user to grant id-token: write when the runner gives no token URL', async () => {
    const { deps, getIDToken } = setup()
    await expect(assumeRoleWithOidc(role, { ...deps, env: {} })).rejects.toThrow('Add `permissions: id-token: write`')
    expect(getIDToken).not.toHaveBeenCalled()
  })

  it('keeps the AWS error name and adds a trust-policy hint on AccessDenied', async () => {
    const { sts, deps } = setup()
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(Object.assign(new Error('Not authorized to perform sts:AssumeRoleWithWebIdentity'), { name: 'AccessDenied' }))
    await expect(assumeRoleWithOidc(role, deps)).rejects.toThrow(
      /Could not assume role arn:aws:iam::123456789012:role\/deployer with OIDC: AccessDenied: Not authorized.*trust policy/
    )
  })

  it("lists the refused token's claims and the condition that matches them, never the token", async () => {
    const { sts, deps } = setup()
    const payload = { sub: 'repo:acme/infra:environment:production', aud: 'sts.amazonaws.com', repository: 'acme/infra' }
    const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(Object.assign(new Error('Not authorized to perform sts:AssumeRoleWithWebIdentity'), { name: 'AccessDenied' }))
    const error = await assumeRoleWithOidc(role, { ...deps, getIDToken: async () => token }).catch((e: Error) => e)
    expect((error as Error).message).toMatch(
      /Hint: .*\. The job's token has .*: sub=repo:acme\/infra:environment:production, aud=sts.amazonaws.com, repository=acme\/infra\. A trust-policy condition/
    )
    expect((error as Error).message).not.toContain(token.split('.')[1])
  })

  it('adds no claims to an error that is not a refusal of the token', async () => {
    const { sts, deps } = setup()
    const token = `e30.${Buffer.from(JSON.stringify({ sub: 'repo:a/b:ref:x', aud: 'sts.amazonaws.com' })).toString('base64url')}.sig`
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
    const error = await assumeRoleWithOidc(role, { ...deps, getIDToken: async () => token }).catch((e: Error) => e)
    expect((error as Error).message).toBe(`Could not assume role ${role.arn} with OIDC: Throttling: Rate exceeded.`)
  })

  it.each([
    [
      new InvalidIdentityTokenException({ message: 'No OpenIDConnect provider found in your account', $metadata: {} }),
      /InvalidIdentityTokenException: No OpenIDConnect provider.*Hint: the account needs an IAM OIDC identity provider/
    ],
    [
      new IDPRejectedClaimException({ message: 'Incorrect token audience', $metadata: {} }),
      /IDPRejectedClaimException: Incorrect token audience.*Hint: the role trust policy rejected a claim/
    ]
  ])('explains %s under the name the SDK throws', async (error, expected) => {
    const { sts, deps } = setup()
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(error)
    await expect(assumeRoleWithOidc(role, deps)).rejects.toThrow(expected)
  })

  it("gives role-duration-seconds above the role's maximum its own hint", async () => {
    const { sts, deps } = setup()
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(
      Object.assign(new Error('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'), {
        name: 'ValidationError'
      })
    )
    await expect(assumeRoleWithOidc({ ...role, durationSeconds: 7200 }, deps)).rejects.toThrow(
      "ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role. Hint: `role-duration-seconds` (7200) is above the role's maximum session duration"
    )
  })
})

describe('oidcCredentialsProvider', () => {
  it('reuses the session, then assumes the role again with a new token shortly before it expires', async () => {
    const clock = fakeClock()
    const { sts, getIDToken, deps } = setup(clock)
    const start = clock.now()
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .resolvesOnce(credentials(1, new Date(start + 3600_000)))
      .resolvesOnce(credentials(2, new Date(start + 7200_000)))
    const provider = oidcCredentialsProvider(role, deps)
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(3000_000) // 50 minutes: still 10 minutes left
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(360_000) // 4 minutes left: refresh
    expect((await provider()).accessKeyId).toBe('AKIA2')
    expect(getIDToken).toHaveBeenCalledTimes(2)
  })

  it('assumes the role again after invalidate()', async () => {
    const { sts, deps } = setup()
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .resolvesOnce(credentials(1, new Date(Date.now() + 3600_000)))
      .resolvesOnce(credentials(2, new Date(Date.now() + 3600_000)))
    const provider = oidcCredentialsProvider(role, { ...deps, clock: { now: () => Date.now(), sleep: async () => undefined } })
    await provider()
    provider.invalidate()
    expect((await provider()).accessKeyId).toBe('AKIA2')
  })
})

/** The error `promise` rejects with, to check its class name and whole message. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error as Error
  )
}

describe('assumeRoleWithOidc error messages', () => {
  it('refuses a job that has the token URL but no request token, as a CredentialsError with the whole advice', async () => {
    const { deps, getIDToken } = setup()
    const error = await rejection(assumeRoleWithOidc(role, { ...deps, env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token' } }))
    expect(error.name).toBe('CredentialsError')
    expect(error.message).toBe(
      '`role-to-assume` is set, but this job cannot request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set). ' +
        'Add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get one.'
    )
    expect(getIDToken).not.toHaveBeenCalled()
  })

  it('names the audience when the runner will not give a token for it', async () => {
    const { deps, sts } = setup()
    const getIDToken = jest.fn(async (audience: string) => {
      throw new Error(`token service refused audience ${audience}`)
    })
    const error = await rejection(assumeRoleWithOidc({ ...role, audience: 'custom-aud' }, { ...deps, getIDToken }))
    expect(error.name).toBe('CredentialsError')
    expect(error.message).toBe(`Could not get the job's OIDC token for audience "custom-aud": token service refused audience custom-aud`)
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(0)
  })

  it('fails when STS answers without a full set of keys, and masks nothing of it', async () => {
    const { deps, sts, masked } = setup()
    sts.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: { AccessKeyId: 'AKIA1', SecretAccessKey: 'secret-1' } as never })
    const error = await rejection(assumeRoleWithOidc(role, deps))
    expect(error.message).toBe('Could not assume role arn:aws:iam::123456789012:role/deployer with OIDC: STS returned no credentials.')
    expect(masked).toEqual(['jwt-for-sts.amazonaws.com-1'])
  })

  it('adds no hint for an STS error it has no advice for', async () => {
    const { deps, sts } = setup()
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
    const error = await rejection(assumeRoleWithOidc(role, deps))
    expect(error.message).toBe('Could not assume role arn:aws:iam::123456789012:role/deployer with OIDC: Throttling: Rate exceeded.')
  })

  it('gives other ValidationErrors the general input hint, not the session-duration one', async () => {
    const { deps, sts } = setup()
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(Object.assign(new Error('1 validation error detected: roleSessionName'), { name: 'ValidationError' }))
    const error = await rejection(assumeRoleWithOidc(role, deps))
    expect(error.message).toBe(
      'Could not assume role arn:aws:iam::123456789012:role/deployer with OIDC: ValidationError: 1 validation error detected: roleSessionName. ' +
        'Hint: check role-to-assume, role-session-name and role-duration-seconds.'
    )
  })

  it('spells out the whole session-duration advice', async () => {
    const { deps, sts } = setup()
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(Object.assign(new Error('DurationSeconds exceeds the MaxSessionDuration set for this role.'), { name: 'ValidationError' }))
    const error = await rejection(assumeRoleWithOidc({ ...role, durationSeconds: 7200 }, deps))
    expect(error.message).toBe(
      'Could not assume role arn:aws:iam::123456789012:role/deployer with OIDC: ValidationError: DurationSeconds exceeds the MaxSessionDuration set for this role. ' +
        "Hint: `role-duration-seconds` (7200) is above the role's maximum session duration (1 hour unless raised): " +
        "lower `role-duration-seconds`, or raise the role's MaxSessionDuration (aws iam update-role --max-session-duration)."
    )
  })
})

describe('refreshingProvider', () => {
  const session = (n: number, expiresAt: number) => ({
    accessKeyId: `AKIA${n}`,
    secretAccessKey: `secret-${n}`,
    sessionToken: `session-${n}`,
    expiration: new Date(expiresAt)
  })

  it('renews a 10-minute session after three quarters of it, not earlier', async () => {
    const clock = fakeClock()
    let n = 0
    const provider = refreshingProvider(async () => {
      n += 1
      return session(n, clock.now() + 600_000)
    }, clock)
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(420_000) // 7 minutes: 3 left, more than a quarter of the session
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(60_000) // 8 minutes: less than a quarter left
    expect((await provider()).accessKeyId).toBe('AKIA2')
  })

  it('renews an hour-long session exactly 5 minutes before it expires', async () => {
    const clock = fakeClock()
    let n = 0
    const provider = refreshingProvider(async () => {
      n += 1
      return session(n, clock.now() + 3600_000)
    }, clock)
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(3300_000 - 1)
    expect((await provider()).accessKeyId).toBe('AKIA1')
    await clock.sleep(1)
    expect((await provider()).accessKeyId).toBe('AKIA2')
  })
})
