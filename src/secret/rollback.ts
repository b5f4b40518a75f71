import { DescribeSecretCommand, UpdateSecretVersionStageCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { describeAwsError, errorName } from '../aws/errors.js'
import { WriteGate } from '../run/writes.js'
import type { SecretResult } from './apply.js'
import { digestOf, versionValue } from './history.js'
import type { SecretPlan } from './prepare.js'
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
 * Moves AWSCURRENT back to the version it was on before this run's first attempt changed the
 * secret, named by id (a re-run may have moved AWSPREVIOUS onto a version of its own).
 * RemoveFromVersionId names exactly the version this run made current, so a change made by
 * someone else meanwhile makes the call fail instead of being undone. A target that holds the
 * very value being undone is refused: "rolling back" to it would change nothing.
 */
export async function rollBackSecret(
  sm: SecretsManagerClient,
  change: SecretResult,
  options: { writes?: WriteGate; check?: SecretPlan['rollbackCheck'] } = {}
): Promise<SecretRollback> {
  const fromVersionId = change.versionId as string
  const versionId = change.previousVersionId
  if (!versionId) {
    return { status: 'failed', versionId: '', fromVersionId, reason: 'there is no previous version to move AWSCURRENT back to' }
  }
  const same = await holdsSameValue(sm, change, options.check)
  if (same) return { status: 'failed', versionId, fromVersionId, reason: same }
  try {
    await (options.writes ?? new WriteGate()).send('UpdateSecretVersionStage', change.name, (abortSignal) =>
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: change.arn,
          VersionStage: AWSCURRENT,
          MoveToVersionId: versionId,
          RemoveFromVersionId: fromVersionId
        }),
        { abortSignal }
      )
    )
  } catch (error) {
    if (options.writes?.signal?.aborted) throw error
    const gone = errorName(error) === 'ResourceNotFoundException' || /not found/i.test(String((error as Error).message))
    return {
      status: 'failed',
      versionId,
      fromVersionId,
      reason: gone
        ? `version ${versionId}, AWSCURRENT before this run, no longer exists (${describeAwsError(error)}). AWSCURRENT is still on ` +
          `${fromVersionId}, the new value: restore the value of ${versionId} by hand (put it as a new version), then redeploy the services.`
        : `UpdateSecretVersionStage failed: ${describeAwsError(error)}. AWSCURRENT is still on ${fromVersionId}, the new value.`
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

/** Why the rollback target cannot undo this change (it holds the same value), or undefined. */
async function holdsSameValue(
  sm: SecretsManagerClient,
  change: SecretResult,
  check: SecretPlan['rollbackCheck']
): Promise<string | undefined> {
  if (!check) return undefined
  let newDigest = check.newDigest
  if (newDigest === undefined) {
    // A version an earlier attempt wrote: its value was not known at the pre-check.
    try {
      const text = await versionValue(sm, change.arn, change.versionId as string)
      newDigest = text === undefined ? undefined : digestOf(text)
    } catch (error) {
      return `could not read version ${change.versionId} to check that version ${change.previousVersionId} holds another value: ${describeAwsError(error)}. AWSCURRENT is still on ${change.versionId}.`
    }
  }
  if (newDigest !== check.targetDigest) return undefined
  return (
    `version ${change.previousVersionId}, AWSCURRENT before this run, holds the same value as ${change.versionId}, so moving back ` +
    `to it would not undo anything. AWSCURRENT is still on ${change.versionId}: restore the value the services last worked with by hand.`
  )
}
