import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { SECRET_ARN as ARN } from '../../../__fixtures__/report.js'
import { describeFrom, expectSecret } from '../../../__fixtures__/secrets-manager.js'
import { applySecretChange } from '../../../src/secret/apply.js'
import { type SecretPlan } from '../../../src/secret/prepare.js'
import type { VersionStages } from '../../../src/secret/staging-labels.js'

const sm = mockClient(SecretsManagerClient)
const client = new SecretsManagerClient({ region: 'eu-west-1' })
const denied = (message = 'not authorized') => Object.assign(new Error(message), { name: 'AccessDeniedException' })

function waitOptions(clock = fakeClock(), extra: { signal?: AbortSignal; timeout?: number } = {}) {
  const logs: string[] = []
  return { clock, logs, rotationTimeoutSeconds: extra.timeout ?? 60, log: (m: string) => void logs.push(m), signal: extra.signal }
}

beforeEach(() => {
  sm.reset()
})

describe('applySecretChange', () => {
  const putPlan = (fields: Partial<SecretPlan> = {}): SecretPlan => ({
    mode: 'put',
    arn: ARN,
    name: 'prod/db',
    region: 'eu-west-1',
    token: 'v2',
    previousVersionId: 'v1',
    alreadyCreated: false,
    value: 'n3w-value',
    ...fields
  })

  it('tells, without failing, a whole-value put that replaced a version made after the pre-check', async () => {
    let stages: VersionStages = { v1: ['AWSPREVIOUS'], v9: ['AWSCURRENT'] }
    describeFrom(sm, () => stages)
    sm.on(PutSecretValueCommand).callsFake(async (input) => {
      stages = { v1: [], v9: ['AWSPREVIOUS'], [input.ClientRequestToken as string]: ['AWSCURRENT'] }
      return { ARN, VersionId: input.ClientRequestToken }
    })
    const options = waitOptions()
    const result = await applySecretChange(client, putPlan({ baseVersionId: 'v1' }), options)
    expect(result).toMatchObject({ status: 'succeeded', versionId: 'v2' })
    expect(options.logs).toContain("Version v9 was made AWSCURRENT between the pre-check and this put: this run's value replaced it.")
  })

  it('fails a put when someone else moved AWSCURRENT off the new version, naming where the labels are', async () => {
    let stages: VersionStages = { v1: ['AWSCURRENT'] }
    describeFrom(sm, () => stages)
    sm.on(PutSecretValueCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      // Another writer's put lands right after ours: AWSCURRENT is on v3, ours is AWSPREVIOUS.
      stages = { v1: [], [input.ClientRequestToken as string]: ['AWSPREVIOUS'], v3: ['AWSCURRENT'] }
      return { ARN, VersionId: input.ClientRequestToken }
    })
    const result = await applySecretChange(client, putPlan(), waitOptions())
    expect(result).toMatchObject({
      status: 'failed',
      newVersionId: 'v2',
      reason: 'version v2 exists but is not AWSCURRENT (v2 [AWSPREVIOUS], v3 [AWSCURRENT]); another change moved the label'
    })
    expect(result.versionId).toBeUndefined()
  })

  it('keeps waiting for a put whose version is not visible yet', async () => {
    let describes = 0
    describeFrom(sm, (): VersionStages => (++describes < 3 ? {} : { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: 'v2' })
    const clock = fakeClock()
    const result = await applySecretChange(client, putPlan(), waitOptions(clock))
    expect(result).toMatchObject({ status: 'succeeded', versionId: 'v2', previousVersionId: 'v1' })
    expect(clock.sleeps).toEqual([1000, 1500])
  })

  const exists = () =>
    Object.assign(new Error("You can't modify an existing version, you can only create a new version."), {
      name: 'ResourceExistsException'
    })

  it('counts ResourceExistsException as written only when the version with its token holds exactly this value', async () => {
    describeFrom(sm, () => ({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).rejects(exists())
    sm.on(GetSecretValueCommand).callsFake(async (input) => ({
      ARN,
      VersionId: input.VersionId,
      SecretString: input.VersionId === 'v2' ? 'n3w-value' : 'old'
    }))
    const options = waitOptions()
    const result = await applySecretChange(client, putPlan(), options)
    expect(result.status).toBe('succeeded')
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: ARN, VersionId: 'v2' }])
    expect(options.logs).toEqual(['Put new version v2 of prod/db.'])
  })

  it('fails on ResourceExistsException when the version with its token holds another value, and never says it was written', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v2: [] }))
    sm.on(PutSecretValueCommand).rejects(exists())
    sm.on(GetSecretValueCommand).resolves({ ARN, VersionId: 'v2', SecretString: 'somebody else' })
    const options = waitOptions()
    const result = await applySecretChange(client, putPlan(), options)
    expect(result).toMatchObject({
      status: 'failed',
      reason: "PutSecretValue said version v2 already exists with another value: this run's value was not written."
    })
    expect(options.logs).toEqual([])
  })

  it('fails on ResourceExistsException when the role may not read the version to check it', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).rejects(exists())
    sm.on(GetSecretValueCommand).rejects(denied())
    const result = await applySecretChange(client, putPlan(), waitOptions())
    expect(result).toMatchObject({
      status: 'failed',
      reason:
        'PutSecretValue said version v2 already exists, and reading it to check that it holds this value failed ' +
        '(AccessDeniedException: not authorized): it is not counted as written. Check the versions of prod/db before running again.'
    })
  })

  it('says "the previous version" when the secret had no AWSCURRENT', async () => {
    sm.on(PutSecretValueCommand).rejects(denied())
    const result = await applySecretChange(client, putPlan({ previousVersionId: undefined }), waitOptions())
    expect(result.reason).toBe(
      'PutSecretValue failed: AccessDeniedException: not authorized. AWSCURRENT is still on the previous version; nothing was changed.'
    )
  })

  it('reports RotateSecret failures other than InvalidRequestException without the hint', async () => {
    sm.on(RotateSecretCommand).rejects(denied())
    const result = await applySecretChange(client, putPlan({ mode: 'rotate', value: undefined }), waitOptions())
    expect(result.reason).toBe(
      'RotateSecret failed: AccessDeniedException: not authorized. AWSCURRENT is still on v1; nothing was changed.'
    )
  })

  it('sends the rotation function given to RotateSecret', async () => {
    describeFrom(sm, () => ({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }))
    sm.on(RotateSecretCommand).resolves({})
    await applySecretChange(client, putPlan({ mode: 'rotate', rotationLambdaArn: 'arn:aws:lambda:eu-west-1:1:function:r' }), waitOptions())
    expect(sm.commandCalls(RotateSecretCommand)[0].args[0].input).toEqual({
      SecretId: ARN,
      ClientRequestToken: 'v2',
      RotationLambdaARN: 'arn:aws:lambda:eu-west-1:1:function:r',
      RotateImmediately: true
    })
  })

  it('keeps waiting through DescribeSecret failures, logging each', async () => {
    let describes = 0
    sm.on(DescribeSecretCommand).callsFake(async () => {
      if (++describes === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
      return { ARN, VersionIdsToStages: { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] } }
    })
    const options = waitOptions()
    const result = await applySecretChange(client, putPlan({ alreadyCreated: true, writtenByAttempt: 1 }), options)
    expect(result.status).toBe('succeeded')
    expect(options.logs).toEqual([
      'Version v2 was written by attempt 1 of this run and step; not writing it again.',
      'DescribeSecret failed while waiting: ThrottlingException: Rate exceeded'
    ])
  })

  it('says the rotation function never created the version when it times out without one', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] }))
    sm.on(RotateSecretCommand).resolves({})
    const clock = fakeClock()
    const result = await applySecretChange(client, putPlan({ mode: 'rotate', value: undefined }), waitOptions(clock, { timeout: 30 }))
    expect(result).toMatchObject({
      status: 'failed',
      durationSeconds: 30,
      reason:
        'rotation did not finish within 30s: the rotation function has not created version v2. ' +
        'AWSCURRENT is still on v1, so the previous value is unchanged (v1 [AWSCURRENT], v0 [AWSPREVIOUS]).'
    })
    // Backs off by half each time, up to 10 s, and never sleeps past the deadline.
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 5062.5, 7593.75, 9218.75])
  })

  it('stops waiting at once when the run is cancelled, saying where the labels are', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }))
    const controller = new AbortController()
    controller.abort()
    const clock = fakeClock()
    const result = await applySecretChange(
      client,
      putPlan({ mode: 'rotate', alreadyCreated: true }),
      waitOptions(clock, { signal: controller.signal })
    )
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'cancelled while waiting for version v2 to become AWSCURRENT (v1 [AWSCURRENT], v2 [AWSPENDING])'
    })
    expect(clock.sleeps).toEqual([])
  })

  it('records when Secrets Manager created the new version, asking about this secret', async () => {
    const created = new Date('2026-01-01T00:00:05Z')
    describeFrom(sm, () => ({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).resolves({})
    sm.on(ListSecretVersionIdsCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      return {
        Versions: [
          { VersionId: 'v1', CreatedDate: new Date(0) },
          { VersionId: 'v2', CreatedDate: created }
        ]
      }
    })
    const result = await applySecretChange(client, putPlan(), waitOptions())
    expect(result.createdAt).toEqual(created)
  })

  it('goes on without a creation time when the versions cannot be listed', async () => {
    describeFrom(sm, () => ({ v2: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).resolves({})
    sm.on(ListSecretVersionIdsCommand).rejects(denied())
    const result = await applySecretChange(client, putPlan(), waitOptions())
    // No AWSPREVIOUS in the answer: the previous version is the one the plan saw.
    expect(result).toMatchObject({ status: 'succeeded', createdAt: undefined, previousVersionId: 'v1' })
  })
})

describe('edges of the secret change', () => {
  it('times out saying no version is AWSCURRENT when DescribeSecret shows no labels at all', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN })
    const result = await applySecretChange(
      client,
      { mode: 'rotate', arn: ARN, name: 'prod/db', region: 'eu-west-1', token: 'v2', previousVersionId: 'v1', alreadyCreated: true },
      waitOptions(fakeClock(), { timeout: 5 })
    )
    expect(result.reason).toBe(
      'rotation did not finish within 5s: the rotation function has not created version v2. AWSCURRENT is still on no version, so the previous value is unchanged (no labelled versions).'
    )
  })
})
