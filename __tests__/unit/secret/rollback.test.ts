import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeSecretCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { SECRET_ARN as ARN, secretResult } from '../../../__fixtures__/report.js'
import { describeFrom, expectSecret } from '../../../__fixtures__/secrets-manager.js'
import { rollBackSecret } from '../../../src/secret/rollback.js'
import type { VersionStages } from '../../../src/secret/staging-labels.js'

const sm = mockClient(SecretsManagerClient)
const client = new SecretsManagerClient({ region: 'eu-west-1' })
const denied = (message = 'not authorized') => Object.assign(new Error(message), { name: 'AccessDeniedException' })

beforeEach(() => {
  sm.reset()
})

describe('rollBackSecret', () => {
  it('moves AWSCURRENT from exactly this run’s version back to the previous one, and confirms it', async () => {
    let stages: VersionStages = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }
    describeFrom(sm, () => stages)
    sm.on(UpdateSecretVersionStageCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      if (!stages[input.RemoveFromVersionId as string]?.includes('AWSCURRENT')) throw new Error('InvalidParameterException')
      stages = { [input.MoveToVersionId as string]: ['AWSCURRENT'], [input.RemoveFromVersionId as string]: ['AWSPREVIOUS'] }
      return {}
    })
    expect(await rollBackSecret(client, secretResult())).toEqual({ status: 'succeeded', versionId: 'v1', fromVersionId: 'v2' })
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: ARN,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'v1',
      RemoveFromVersionId: 'v2'
    })
  })

  it('does nothing when there is no previous version to go back to', async () => {
    expect(await rollBackSecret(client, secretResult({ previousVersionId: undefined }))).toEqual({
      status: 'failed',
      versionId: '',
      fromVersionId: 'v2',
      reason: 'there is no previous version to move AWSCURRENT back to'
    })
    expect(sm.calls()).toHaveLength(0)
  })

  it('fails when AWSCURRENT is not on the previous version after the move', async () => {
    describeFrom(sm, () => ({ v1: ['AWSPREVIOUS'], v3: ['AWSCURRENT'] }))
    sm.on(UpdateSecretVersionStageCommand).resolves({})
    expect(await rollBackSecret(client, secretResult())).toEqual({
      status: 'failed',
      versionId: 'v1',
      fromVersionId: 'v2',
      reason: 'AWSCURRENT is not on v1 after the move (v1 [AWSPREVIOUS], v3 [AWSCURRENT])'
    })
  })

  it('fails with the AWS error when the move is refused, saying the new value stays', async () => {
    sm.on(UpdateSecretVersionStageCommand).rejects(denied())
    expect(await rollBackSecret(client, secretResult())).toEqual({
      status: 'failed',
      versionId: 'v1',
      fromVersionId: 'v2',
      reason: 'UpdateSecretVersionStage failed: AccessDeniedException: not authorized. AWSCURRENT is still on v2, the new value.'
    })
    expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(0)
  })

  it('does not claim the move failed when only the check after it failed', async () => {
    sm.on(UpdateSecretVersionStageCommand).resolves({})
    sm.on(DescribeSecretCommand).rejects(denied())
    expect(await rollBackSecret(client, secretResult())).toEqual({
      status: 'failed',
      versionId: 'v1',
      fromVersionId: 'v2',
      reason:
        'AWSCURRENT was moved back to v1, but DescribeSecret could not confirm it: AccessDeniedException: not authorized. Check which version is AWSCURRENT, then redeploy the services.'
    })
  })
})

describe('edges of the secret change', () => {
  it('a rollback whose check shows no labels says so', async () => {
    sm.on(UpdateSecretVersionStageCommand).resolves({})
    sm.on(DescribeSecretCommand).resolves({ ARN })
    expect((await rollBackSecret(client, secretResult())).reason).toBe('AWSCURRENT is not on v1 after the move (no labelled versions)')
  })
})
