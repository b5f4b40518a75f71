import { describe, expect, it } from '@jest/globals'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { callerAccount, crossAccountProvider } from '../../../src/aws/cross-account.js'

const ROLE = 'arn:aws:iam::222222222222:role/rollout'

function setup() {
  const sts = mockClient(STSClient)
  const clock = fakeClock()
  const masked: string[] = []
  const deps = {
    sts: new STSClient({ region: 'eu-west-1' }),
    sessionName: 'secret-rollout-42',
    durationSeconds: 7200,
    clock,
    mask: (v: string) => void masked.push(v)
  }
  return { sts, clock, masked, deps }
}

describe('crossAccountProvider', () => {
  it('assumes the role for at most the role-chaining hour, masks the keys, and assumes it again before it ends', async () => {
    const { sts, clock, masked, deps } = setup()
    let n = 0
    sts.on(AssumeRoleCommand).callsFake(async () => {
      n++
      return {
        Credentials: {
          AccessKeyId: `ASIA${n}`,
          SecretAccessKey: `secret-${n}`,
          SessionToken: `token-${n}`,
          Expiration: new Date(clock.now() + 3600_000)
        }
      }
    })
    const provider = crossAccountProvider(ROLE, deps)
    expect((await provider()).accessKeyId).toBe('ASIA1')
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'secret-rollout-42',
      DurationSeconds: 3600
    })
    expect(masked).toEqual(['ASIA1', 'secret-1', 'token-1'])
    await clock.sleep(3000_000)
    expect((await provider()).accessKeyId).toBe('ASIA1')
    await clock.sleep(400_000)
    expect((await provider()).accessKeyId).toBe('ASIA2')
  })

  it('names the input, the role and its account when the role cannot be assumed', async () => {
    const { sts, deps } = setup()
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(`User: arn:aws:sts::123456789012:assumed-role/main/s is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`),
        {
          name: 'AccessDenied'
        }
      )
    )
    await expect(crossAccountProvider(ROLE, deps)()).rejects.toThrow(
      `\`cross-account-roles\`: could not assume ${ROLE} for account 222222222222: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/main/s is not authorized to perform: sts:AssumeRole on resource: ${ROLE}. Hint: the trust policy of ${ROLE} must allow sts:AssumeRole by the principal of the main session`
    )
  })

  it('gives no trust-policy hint for another error, and refuses an answer without credentials', async () => {
    const { sts, deps } = setup()
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
      .resolves({ Credentials: undefined })
    await expect(crossAccountProvider(ROLE, deps)()).rejects.toThrow(
      new Error(`\`cross-account-roles\`: could not assume ${ROLE} for account 222222222222: Throttling: Rate exceeded.`)
    )
    await expect(crossAccountProvider(ROLE, deps)()).rejects.toThrow(
      new Error(`\`cross-account-roles\`: could not assume ${ROLE} for account 222222222222: STS returned no credentials.`)
    )
  })
})

describe('callerAccount', () => {
  it('is the account of the credentials, and an error that names the call when STS does not say', async () => {
    const sts = mockClient(STSClient)
    const client = new STSClient({ region: 'eu-west-1' })
    sts.on(GetCallerIdentityCommand).resolvesOnce({ Account: '123456789012' }).resolves({})
    await expect(callerAccount(client)).resolves.toBe('123456789012')
    await expect(callerAccount(client)).rejects.toThrow(
      new Error('Could not tell which account the credentials are in (sts:GetCallerIdentity): GetCallerIdentity returned no account.')
    )
  })
})
