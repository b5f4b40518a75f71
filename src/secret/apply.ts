import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import type { Clock } from '../clock.js'
import { awsErrorSentence, describeAwsError, errorName } from '../aws/errors.js'
import type { SecretPlan } from './prepare.js'
import type { ReplicaResult } from './replicas.js'
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, describeStages, hasLabel, type VersionStages } from './staging-labels.js'

export interface SecretResult {
  mode: 'put' | 'rotate'
  arn: string
  name: string
  status: 'succeeded' | 'failed'
  /** The version that is AWSCURRENT at the end. */
  versionId?: string
  previousVersionId?: string
  /** The version this run created (or tried to). */
  newVersionId: string
  /** An earlier try of the same run attempt had already created the version. */
  reused: boolean
  durationSeconds: number
  /** When the change began, on the action's clock (the summary's timeline starts there). */
  startedAt?: number
  /** On failure: what went wrong and what state the secret is in. */
  reason?: string
  /** When Secrets Manager created the new version (tasks started after it carry the new value). */
  createdAt?: Date
  /** The rotation was one already running, which this run waited for (if-rotation-in-progress: wait). */
  adopted?: boolean
  /** With replicas: when each replica region had the new version as AWSCURRENT, or why not. */
  replicas?: ReplicaResult[]
}

export interface ApplyOptions {
  clock: Clock
  rotationTimeoutSeconds: number
  log(message: string): void
  /** Stops waiting at once (a cancelled run). */
  signal?: AbortSignal
}

/** Writes the change planned by prepareSecretChange and waits until the new version is AWSCURRENT. */
export async function applySecretChange(sm: SecretsManagerClient, plan: SecretPlan, options: ApplyOptions): Promise<SecretResult> {
  const started = options.clock.now()
  const result = (fields: Partial<SecretResult>): SecretResult => ({
    mode: plan.mode,
    arn: plan.arn,
    name: plan.name,
    newVersionId: plan.token,
    previousVersionId: plan.previousVersionId,
    reused: plan.alreadyCreated && !plan.adopted,
    adopted: plan.adopted,
    status: 'failed',
    startedAt: started,
    durationSeconds: (options.clock.now() - started) / 1000,
    ...fields
  })
  const unchanged = `AWSCURRENT is still on ${plan.previousVersionId ?? 'the previous version'}; nothing was changed`

  if (plan.adopted) {
    options.log(`A rotation is already in progress (version ${plan.token}): waiting for it instead of starting another.`)
  } else if (plan.alreadyCreated) {
    options.log(`Version ${plan.token} was already created by an earlier try of this run attempt; not writing it again.`)
  } else if (plan.mode === 'put') {
    try {
      await sm.send(new PutSecretValueCommand({ SecretId: plan.arn, ClientRequestToken: plan.token, SecretString: plan.value }))
    } catch (error) {
      // Same token, other value: an earlier try of this attempt won the race; its version stands.
      if (errorName(error) !== 'ResourceExistsException') {
        return result({ reason: `PutSecretValue failed: ${awsErrorSentence(error)}${quotaHint(error)} ${unchanged}.` })
      }
    }
    options.log(`Put new version ${plan.token} of ${plan.name}.`)
  } else {
    try {
      await sm.send(
        new RotateSecretCommand({
          SecretId: plan.arn,
          ClientRequestToken: plan.token,
          RotationLambdaARN: plan.rotationLambdaArn,
          RotateImmediately: true
        })
      )
    } catch (error) {
      const hint = errorName(error) === 'InvalidRequestException' ? ' (another rotation may have started since the pre-check)' : ''
      return result({ reason: `RotateSecret failed${hint}: ${awsErrorSentence(error)}${quotaHint(error)} ${unchanged}.` })
    }
    options.log(`Started rotation of ${plan.name}; the rotation function creates version ${plan.token}.`)
  }

  const deadline = started + options.rotationTimeoutSeconds * 1000
  let stages: VersionStages = {}
  for (let interval = 1000; ; interval = Math.min(interval * 1.5, 10_000)) {
    try {
      const secret = await sm.send(new DescribeSecretCommand({ SecretId: plan.arn }))
      stages = secret.VersionIdsToStages ?? {}
    } catch (error) {
      // Retries are exhausted for this call; keep waiting while time remains.
      options.log(`DescribeSecret failed while waiting: ${describeAwsError(error)}`)
    }
    if (hasLabel(stages, plan.token, AWSCURRENT)) {
      const previous = Object.keys(stages).find((id) => hasLabel(stages, id, AWSPREVIOUS))
      const createdAt = await versionCreatedAt(sm, plan.arn, plan.token)
      return result({ status: 'succeeded', versionId: plan.token, previousVersionId: previous ?? plan.previousVersionId, createdAt })
    }
    if (plan.mode === 'put' && Object.keys(stages).length > 0) {
      // PutSecretValue moves AWSCURRENT at once; if it is elsewhere, someone else moved it.
      return result({
        reason: `version ${plan.token} exists but is not AWSCURRENT (${describeStages(stages)}); another change moved the label`
      })
    }
    const now = options.clock.now()
    if (now >= deadline) return result({ reason: timeoutReason(plan, stages, options.rotationTimeoutSeconds) })
    if (options.signal?.aborted)
      return result({ reason: `cancelled while waiting for version ${plan.token} to become AWSCURRENT (${describeStages(stages)})` })
    await options.clock.sleep(Math.min(interval, deadline - now))
  }
}

/**
 * LimitExceededException on a write is a quota, not throttling (the clients do not retry it):
 * usually the secret's versions, as Secrets Manager keeps every version of the last 24 hours.
 */
function quotaHint(error: unknown): string {
  if (errorName(error) !== 'LimitExceededException') return ''
  return (
    ' This is a Secrets Manager quota, not throttling, so it was not retried: most often the number of versions the secret keeps ' +
    '(every version created in the last 24 hours is kept, so changing a secret more than about once every 10 minutes reaches it). ' +
    'Wait for older versions to age out before running again, and change this secret less often.'
  )
}

/** The new version's creation time, for the rollout proof; absent if it cannot be read. */
async function versionCreatedAt(sm: SecretsManagerClient, arn: string, versionId: string): Promise<Date | undefined> {
  try {
    const { Versions = [] } = await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn }))
    return Versions.find((v) => v.VersionId === versionId)?.CreatedDate
  } catch {
    return undefined
  }
}

function timeoutReason(plan: SecretPlan, stages: VersionStages, timeoutSeconds: number): string {
  const current = Object.keys(stages).find((id) => hasLabel(stages, id, AWSCURRENT))
  const state = `AWSCURRENT is still on ${current ?? 'no version'}, so the previous value is unchanged (${describeStages(stages)})`
  if (hasLabel(stages, plan.token, AWSPENDING)) {
    return (
      `rotation did not finish within ${timeoutSeconds}s: version ${plan.token} is stuck in AWSPENDING. ${state}. ` +
      "Check the rotation function's logs (setSecret/testSecret); Secrets Manager retries it, and the next run fails until AWSPENDING is cleared."
    )
  }
  return `rotation did not finish within ${timeoutSeconds}s: the rotation function has not created version ${plan.token}. ${state}.`
}
