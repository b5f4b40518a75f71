import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs'
import { DescribeSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { startEmulator, type Emulator } from '../../emulator/server.js'

// The endpoint's model of replicas and accounts, driven by the SDK as the action drives it.
const KEYS = { accessKeyId: 'AKIAEMULATORMAIN0001', secretAccessKey: 'emulator-main-secret-key-00000000000000' }
const OTHER_ROLE = 'arn:aws:iam::222222222222:role/rollout'
const OTHER_CLUSTER = 'arn:aws:ecs:eu-west-1:222222222222:cluster/prod'
let emu: Emulator
let clock = Date.now()

beforeAll(async () => {
  emu = await startEmulator(
    {
      staticCredentials: [KEYS],
      roles: [
        { arn: OTHER_ROLE, trustedAccounts: ['123456789012'] },
        { arn: 'arn:aws:iam::222222222222:role/next', trustedAccounts: ['222222222222'] }
      ],
      secrets: [
        {
          name: 'prod/db',
          value: 'pw-emulator',
          replicas: [
            { region: 'us-east-1', lagMs: 5000 },
            { region: 'sa-east-1', status: 'Failed' }
          ]
        }
      ],
      clusters: [{ name: 'prod', account: '222222222222', services: [{ name: 'api' }] }]
    },
    { now: () => clock }
  )
})
afterAll(async () => emu?.close())

const config = (region: string, credentials = KEYS) => ({ region, endpoint: emu.url, credentials, maxAttempts: 1 })

describe('the endpoint models replicas', () => {
  it('shows a change in a replica region only after its lag, refuses writes there, and has no failed replica', async () => {
    const primary = new SecretsManagerClient(config('eu-west-1'))
    const replica = new SecretsManagerClient(config('us-east-1'))
    const described = await primary.send(new DescribeSecretCommand({ SecretId: 'prod/db' }))
    expect(described).toMatchObject({
      PrimaryRegion: 'eu-west-1',
      ReplicationStatus: [
        { Region: 'us-east-1', Status: 'InSync', StatusMessage: 'Replication succeeded' },
        { Region: 'sa-east-1', Status: 'Failed', StatusMessage: 'Secret with this name already exists in this region' }
      ]
    })
    const token = '11111111-2222-3333-4444-555555555555'
    await primary.send(new PutSecretValueCommand({ SecretId: 'prod/db', SecretString: 'pw-emulator-2', ClientRequestToken: token }))
    const there = await replica.send(new DescribeSecretCommand({ SecretId: 'prod/db' }))
    expect(there.ARN).toBe((described.ARN as string).replace('eu-west-1', 'us-east-1'))
    expect(there.PrimaryRegion).toBe('eu-west-1')
    expect(there.VersionIdsToStages?.[token]).toBeUndefined()
    clock += 5000
    expect((await replica.send(new DescribeSecretCommand({ SecretId: 'prod/db' }))).VersionIdsToStages?.[token]).toEqual(['AWSCURRENT'])
    await expect(
      replica.send(new PutSecretValueCommand({ SecretId: 'prod/db', SecretString: 'x', ClientRequestToken: `${token}0` }))
    ).rejects.toThrow("Operation not permitted on a replica secret. Call must be made in primary secret's region.")
    await expect(
      new SecretsManagerClient(config('sa-east-1')).send(new DescribeSecretCommand({ SecretId: 'prod/db' }))
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException'
    })
  })
})

describe('the endpoint models accounts', () => {
  it("hides another account's cluster, and shows it to keys of a role assumed in that account", async () => {
    const main = new ECSClient(config('eu-west-1'))
    await expect(main.send(new DescribeServicesCommand({ cluster: OTHER_CLUSTER, services: ['api'] }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.'
    })
    const sts = new STSClient(config('eu-west-1'))
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '123456789012' })
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: OTHER_ROLE, RoleSessionName: 'secret-rollout-1' }))
    const assumed = { accessKeyId: c?.AccessKeyId as string, secretAccessKey: c?.SecretAccessKey as string, sessionToken: c?.SessionToken }
    const other = new ECSClient(config('eu-west-1', assumed))
    const out = await other.send(new DescribeServicesCommand({ cluster: OTHER_CLUSTER, services: ['api'] }))
    expect(out.services?.[0].serviceArn).toBe('arn:aws:ecs:eu-west-1:222222222222:service/prod/api')
    expect(await new STSClient(config('eu-west-1', assumed)).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '222222222222',
      Arn: 'arn:aws:sts::222222222222:assumed-role/rollout/secret-rollout-1'
    })
  })

  it('refuses role chaining beyond one hour, and a role that does not trust the caller', async () => {
    const sts = new STSClient(config('eu-west-1'))
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: OTHER_ROLE, RoleSessionName: 'first' }))
    const chained = new STSClient(
      config('eu-west-1', {
        accessKeyId: c?.AccessKeyId as string,
        secretAccessKey: c?.SecretAccessKey as string,
        sessionToken: c?.SessionToken
      } as typeof KEYS)
    )
    await expect(
      chained.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/next', RoleSessionName: 'second', DurationSeconds: 7200 })
      )
    ).rejects.toThrow('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.')
    await expect(chained.send(new AssumeRoleCommand({ RoleArn: OTHER_ROLE, RoleSessionName: 'second' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::222222222222:assumed-role/rollout/first is not authorized to perform: sts:AssumeRole on resource: ${OTHER_ROLE}`
    })
  })
})
