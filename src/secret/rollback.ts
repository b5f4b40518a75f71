import { DescribeSecretCommand, UpdateSecretVersionStageCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { describeAwsError } from '../aws/errors.js'
import type { SecretResult } from './apply.js'
import { AWSCURRENT, describeStages, hasLabel, type VersionStages } from './staging-labels.js'

export interface SecretRollback {
  status: 'succeeded' | 'failed'
  /** The version AWSCURRENT was moved back to. */
  versionId: string
  /** The version this run had created, now AWSPREVIOUS. */
  fromVersionId: string
  reason?: string
}

/**
 * Moves AWSCURRENT back to the version it was on before this run's put. RemoveFromVersionId
 * names exactly the version this run created, so a change made by someone else meanwhile makes
 * the call fail instead of being undone.
 */
export async function rollBackSecret(sm: SecretsManagerClient, change: SecretResult): Promise<SecretRollback> {
  const fromVersionId = change.versionId as string
  const versionId = change.previousVersionId
  if (!versionId) {
    return { status: 'failed', versionId: '', fromVersionId, reason: 'there is no previous version to move AWSCURRENT back to' }
  }
  try {
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: change.arn,
        VersionStage: AWSCURRENT,
        MoveToVersionId: versionId,
        RemoveFromVersionId: fromVersionId
      })
    )
  } catch (error) {
    return {
      status: 'failed',
      versionId,
      fromVersionId,
      reason: `UpdateSecretVersionStage failed: ${describeAwsError(error)}. AWSCURRENT is still on ${fromVersionId}, the new value.`
    }
  }
  // The move went through; confirm nobody moved the label again before the services are redeployed.
  let stages: VersionStages
  try {
    stages = (await sm.send(new DescribeSecretCommand({ SecretId: change.arn }))).VersionIdsToStages ?? {}
  } catch (error) {
    return {
      status: 'failed',
      versionId,
      fromVersionId,
      reason: `AWSCURRENT was moved back to ${versionId}, but DescribeSecret could not confirm it: ${describeAwsError(error)}. Check which version is AWSCURRENT, then redeploy the services.`
    }
  }
  if (!hasLabel(stages, versionId, AWSCURRENT)) {
    return {
      status: 'failed',
      versionId,
      fromVersionId,
      reason: `AWSCURRENT is not on ${versionId} after the move (${describeStages(stages)})`
    }
  }
  return { status: 'succeeded', versionId, fromVersionId }
}
