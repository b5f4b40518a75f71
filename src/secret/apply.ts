import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { pause, type Clock } from '../clock.js'
import { awsErrorSentence, describeAwsError, errorName } from '../aws/errors.js'
import { WriteGate } from '../run/writes.js'
import { versionValue } from './history.js'
import type { SecretPlan } from './prepare.js'
import type { ReplicaResult } from './replicas.js'
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, describeStages, hasLabel, versionWithLabel, type VersionStages } from './staging-labels.js'

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
  /** An earlier attempt of this run and step had already written the version: nothing was written now. */
  reused: boolean
  /** Which attempt wrote it, when reused. */
  writtenByAttempt?: number
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
  /** Sends the writes (checks the signal first, records them); by default a gate of `signal`. */
  writes?: WriteGate
  /** Told as soon as the write was answered, so a cancelled run can report the version it made. */
  onWritten?(partial: SecretResult): void
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
    writtenByAttempt: plan.writtenByAttempt,
    adopted: plan.adopted,
    status: 'failed',
    startedAt: started,
    durationSeconds: (options.clock.now() - started) / 1000,
    ...fields
  })
  const unchanged = `AWSCURRENT is still on ${plan.previousVersionId ?? 'the previous version'}; nothing was changed`

  const writes = options.writes ?? new WriteGate(options.signal)
  if (plan.adopted) {
    options.log(`A rotation is already in progress (version ${plan.token}): waiting for it instead of starting another.`)
  } else if (plan.alreadyCreated) {
    options.log(`Version ${plan.token} was written by attempt ${plan.writtenByAttempt ?? '?'} of this run and step; not writing it again.`)
  } else if (plan.mode === 'put') {
    try {
      await writes.send('PutSecretValue', plan.name, (abortSignal) =>
        sm.send(new PutSecretValueCommand({ SecretId: plan.arn, ClientRequestToken: plan.token, SecretString: plan.value }), {
          abortSignal
        })
      )
    } catch (error) {
      if (errorName(error) !== 'ResourceExistsException') {
        if (options.signal?.aborted) throw error
        return result({ reason: `PutSecretValue failed: ${awsErrorSentence(error)}${quotaHint(error)} ${unchanged}.` })
      }
      // A version with this token exists: it is this write only if it holds exactly this value.
      const refused = await sameValueOrWhy(sm, plan)
      if (refused) return result({ reason: refused })
    }
    options.log(`Put new version ${plan.token} of ${plan.name}.`)
    // PutSecretValue moves AWSCURRENT at once: if the run is cancelled now, this version is AWSCURRENT.
    options.onWritten?.(result({ versionId: plan.token, reason: 'cancelled after the put: the new version is AWSCURRENT' }))
  } else {
    try {
      await writes.send('RotateSecret', plan.name, (abortSignal) =>
        sm.send(
          new RotateSecretCommand({
            SecretId: plan.arn,
            ClientRequestToken: plan.token,
            RotationLambdaARN: plan.rotationLambdaArn,
            RotateImmediately: true
          }),
          { abortSignal }
        )
      )
    } catch (error) {
      if (options.signal?.aborted) throw error
      const hint = errorName(error) === 'InvalidRequestException' ? ' (another rotation may have started since the pre-check)' : ''
      return result({ reason: `RotateSecret failed${hint}: ${awsErrorSentence(error)}${quotaHint(error)} ${unchanged}.` })
    }
    options.log(`Started rotation of ${plan.name}; the rotation function creates version ${plan.token}.`)
    options.onWritten?.(result({ reason: `cancelled while the rotation was under way: version ${plan.token} is AWSPENDING` }))
  }

  const deadline = started + options.rotationTimeoutSeconds * 1000
  let stages: VersionStages = {}
  for (let interval = 1000; ; interval = Math.min(interval * 1.5, 10_000)) {
    try {
      const secret = await sm.send(new DescribeSecretCommand({ SecretId: plan.arn }), { abortSignal: options.signal })
      stages = secret.VersionIdsToStages ?? {}
    } catch (error) {
      if (options.signal?.aborted) throw error
      // Retries are exhausted for this call; keep waiting while time remains.
      options.log(`DescribeSecret failed while waiting: ${describeAwsError(error)}`)
    }
    if (hasLabel(stages, plan.token, AWSCURRENT)) {
      const createdAt = await versionCreatedAt(sm, plan.arn, plan.token)
      const done = result({ status: 'succeeded', versionId: plan.token, createdAt })
      const overtaken = plan.mode === 'put' && !plan.alreadyCreated ? await overtakenBy(sm, plan, stages, options.log) : undefined
      return overtaken ? { ...done, status: 'failed', reason: overtaken } : done
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
    await pause(options.clock, Math.min(interval, deadline - now), options.signal)
  }
}

/**
 * After a put, AWSPREVIOUS must be the version that was AWSCURRENT at the pre-check (the one a
 * json-key merge started from). If it is another, someone changed the secret in between: with
 * json-key their change is not in the merged value, so the run fails (and does not redeploy)
 * rather than spread a value that silently dropped it. A whole-value put replaces everything
 * anyway; it is told, not failed.
 */
async function overtakenBy(
  sm: SecretsManagerClient,
  plan: SecretPlan,
  stages: VersionStages,
  log: (message: string) => void
): Promise<string | undefined> {
  const previous = versionWithLabel(stages, AWSPREVIOUS)
  if (!plan.baseVersionId || previous === plan.baseVersionId) return undefined
  const between = previous ?? 'a version without a label now'
  if (!plan.jsonKey) {
    log(`Version ${between} was made AWSCURRENT between the pre-check and this put: this run's value replaced it.`)
    return undefined
  }
  const keys = await keysDiffering(sm, plan, previous)
  return (
    `another change was written while this run merged "${plan.jsonKey}": this run merged into version ${plan.baseVersionId}, ` +
    `but version ${between} was made AWSCURRENT in between (it is AWSPREVIOUS now). AWSCURRENT is ${plan.token}, this run's version, ` +
    `which holds keys ${keys.all} and lacks that change${keys.differing}. The services were not redeployed. Run again to merge ` +
    `"${plan.jsonKey}" into the newest version, and use one \`concurrency:\` group per secret so runs do not overlap.`
  )
}

/** Key names only (never values): all of this run's version, and those whose value differs from the version in between. */
async function keysDiffering(
  sm: SecretsManagerClient,
  plan: SecretPlan,
  other: string | undefined
): Promise<{ all: string; differing: string }> {
  const ours = JSON.parse(plan.value ?? '{}') as Record<string, unknown>
  const all = Object.keys(ours)
    .map((k) => `"${k}"`)
    .join(', ')
  if (!other) return { all, differing: '' }
  try {
    const theirs = JSON.parse((await versionValue(sm, plan.arn, other)) ?? '') as Record<string, unknown>
    const names = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].filter(
      (k) => k !== plan.jsonKey && JSON.stringify(ours[k]) !== JSON.stringify(theirs[k])
    )
    return { all, differing: names.length > 0 ? ` (keys that differ from ${other}: ${names.map((k) => `"${k}"`).join(', ')})` : '' }
  } catch {
    return { all, differing: '' }
  }
}

/** ResourceExistsException: the token's version exists. Undefined if it holds exactly this value; otherwise why not. */
async function sameValueOrWhy(sm: SecretsManagerClient, plan: SecretPlan): Promise<string | undefined> {
  try {
    if ((await versionValue(sm, plan.arn, plan.token)) === plan.value) return undefined
  } catch (error) {
    return (
      `PutSecretValue said version ${plan.token} already exists, and reading it to check that it holds this value failed ` +
      `(${describeAwsError(error)}): it is not counted as written. Check the versions of ${plan.name} before running again.`
    )
  }
  return `PutSecretValue said version ${plan.token} already exists with another value: this run's value was not written.`
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
