import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { changeSettingsFrom } from '../../../__fixtures__/settings.js'
import { prepareSecretChange } from '../../../src/secret/prepare.js'
import { arnInRegion, replicasOf, waitForReplicas } from '../../../src/secret/replicas.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
const sm = mockClient(SecretsManagerClient)
const clients = new Map<string, SecretsManagerClient>()
const client = (region: string) => clients.get(region) ?? clients.set(region, new SecretsManagerClient({ region })).get(region)!
const regionOf = async (c: SecretsManagerClient) => c.config.region()

beforeEach(() => {
  sm.reset()
})

describe('replicasOf and arnInRegion', () => {
  it('lists the replicas with their status, and the ARN keeps name and suffix in another region', () => {
    expect(
      replicasOf({
        $metadata: {},
        ReplicationStatus: [
          { Region: 'us-west-2', Status: 'Failed', StatusMessage: 'Secret with this name already exists in this region' },
          { Region: 'us-east-1', Status: 'InSync' }
        ]
      })
    ).toEqual([
      { region: 'us-east-1', status: 'InSync', message: undefined },
      { region: 'us-west-2', status: 'Failed', message: 'Secret with this name already exists in this region' }
    ])
    expect(arnInRegion(ARN, 'us-east-1')).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf')
  })
})

describe('prepareSecretChange with replicas', () => {
  it('refuses a secret-id that names a replica, naming the primary region, before any write', async () => {
    sm.on(DescribeSecretCommand).resolves({
      ARN: arnInRegion(ARN, 'us-east-1'),
      Name: 'prod/db',
      PrimaryRegion: 'eu-west-1',
      VersionIdsToStages: { v1: ['AWSCURRENT'] }
    })
    const { settings } = changeSettingsFrom({ 'aws-region': 'us-east-1', 'secret-id': 'prod/db', mode: 'put', 'secret-string': 'x' })
    await expect(prepareSecretChange(client('us-east-1'), settings, () => undefined)).rejects.toThrow(
      '`secret-id`: "prod/db" in us-east-1 is a replica; Secrets Manager takes changes only in its primary region, eu-west-1, and replicates them. Set `aws-region: eu-west-1`'
    )
  })

  it('plans with the replicas, and reads the secret in every region but a failed replica', async () => {
    sm.on(DescribeSecretCommand).resolves({
      ARN,
      Name: 'prod/db',
      PrimaryRegion: 'eu-west-1',
      VersionIdsToStages: { v1: ['AWSCURRENT'] },
      ReplicationStatus: [
        { Region: 'us-east-1', Status: 'InSync' },
        { Region: 'ap-south-1', Status: 'Failed', StatusMessage: 'KMS key not found' }
      ]
    })
    const { settings } = changeSettingsFrom({ 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', mode: 'put', 'secret-string': 'x' })
    const plan = await prepareSecretChange(client('eu-west-1'), settings, () => undefined)
    expect(plan.regions).toEqual(['eu-west-1', 'us-east-1'])
    expect(plan.replicas?.map((r) => r.region)).toEqual(['ap-south-1', 'us-east-1'])
  })
})

describe('waitForReplicas', () => {
  it('follows each region on its own: one in sync after its lag, one failed at once, one never in time', async () => {
    const clock = fakeClock()
    const start = clock.now()
    sm.on(DescribeSecretCommand).callsFake(async (input, getClient) => {
      const region = await regionOf(getClient() as SecretsManagerClient)
      expect(input.SecretId).toBe(arnInRegion(ARN, region))
      // us-east-1 gets the new version 3 s after the change; sa-east-1 never does.
      const arrived = region === 'us-east-1' && clock.now() - start >= 3000
      return { VersionIdsToStages: arrived ? { v2: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] } : { v1: ['AWSCURRENT'] } }
    })
    const logs: string[] = []
    const waits = waitForReplicas(
      client,
      { arn: ARN, name: 'prod/db', versionId: 'v2' },
      [
        { region: 'ap-south-1', status: 'Failed', message: 'KMS key not found' },
        { region: 'sa-east-1', status: 'InSync' },
        { region: 'us-east-1', status: 'InSync' }
      ],
      { clock, timeoutSeconds: 20, log: (m) => void logs.push(m) }
    )
    const failed = await waits.get('ap-south-1')
    expect(failed).toEqual({
      region: 'ap-south-1',
      status: 'failed',
      waitedSeconds: 0,
      reason: 'the replica of prod/db in ap-south-1 failed (KMS key not found), so it does not have the new version'
    })
    const synced = await waits.get('us-east-1')
    expect(synced?.status).toBe('in-sync')
    expect(synced?.currentAt?.getTime()).toBeGreaterThanOrEqual(start + 3000)
    const late = await waits.get('sa-east-1')
    expect(late).toMatchObject({
      status: 'timed-out',
      reason: 'the replica of prod/db in sa-east-1 did not show version v2 as AWSCURRENT within 20s (it shows v1 [AWSCURRENT])'
    })
    expect(logs).toEqual([expect.stringMatching(/^Replica in us-east-1 has version v2 as AWSCURRENT after \d+s$/)])
  })

  it('keeps looking while a new replica is not found yet, more slowly each time, up to every 2 s', async () => {
    const clock = fakeClock()
    const start = clock.now()
    sm.on(DescribeSecretCommand).callsFake(async () => {
      if (clock.now() - start < 2000)
        throw Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' })
      return { VersionIdsToStages: { v2: ['AWSCURRENT'] } }
    })
    const waits = waitForReplicas(client, { arn: ARN, name: 'prod/db', versionId: 'v2' }, [{ region: 'us-east-1', status: 'InProgress' }], {
      clock,
      timeoutSeconds: 20,
      log: () => undefined
    })
    // Looked at 0, 0.5, 1.25 and 2.375 s: the pause grows by half each time.
    expect(await waits.get('us-east-1')).toEqual({
      region: 'us-east-1',
      status: 'in-sync',
      currentAt: new Date(start + 2375),
      waitedSeconds: 2.375
    })
    expect(clock.sleeps).toEqual([500, 750, 1125])
  })

  it('gives up at the deadline exactly, saying why it could not see the replica', async () => {
    const clock = fakeClock()
    sm.on(DescribeSecretCommand).rejects(
      Object.assign(new Error('not authorized to perform secretsmanager:DescribeSecret'), { name: 'AccessDeniedException' })
    )
    const waits = waitForReplicas(client, { arn: ARN, name: 'prod/db', versionId: 'v2' }, [{ region: 'sa-east-1', status: 'InSync' }], {
      clock,
      timeoutSeconds: 5,
      log: () => undefined
    })
    expect(await waits.get('sa-east-1')).toEqual({
      region: 'sa-east-1',
      status: 'timed-out',
      waitedSeconds: 5,
      reason:
        'the replica of prod/db in sa-east-1 did not show version v2 as AWSCURRENT within 5s (DescribeSecret there failed: AccessDeniedException: not authorized to perform secretsmanager:DescribeSecret)'
    })
    // The last pause ends at the deadline, not past it.
    expect(clock.sleeps).toEqual([500, 750, 1125, 1687.5, 937.5])
  })

  it('reads a replica without a status as in progress, leaves out one without a region, and a failed one without a message says so', async () => {
    expect(replicasOf({ $metadata: {}, ReplicationStatus: [{ Region: 'eu-central-1' }, { Status: 'InSync' }] })).toEqual([
      { region: 'eu-central-1', status: 'InProgress', message: undefined }
    ])
    const waits = waitForReplicas(client, { arn: ARN, name: 'prod/db', versionId: 'v2' }, [{ region: 'ap-south-1', status: 'Failed' }], {
      clock: fakeClock(),
      timeoutSeconds: 5,
      log: () => undefined
    })
    expect((await waits.get('ap-south-1'))?.reason).toBe(
      'the replica of prod/db in ap-south-1 failed (no message), so it does not have the new version'
    )
  })
})
