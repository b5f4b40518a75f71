import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetRandomPasswordCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { Inputs, MAX_SECRET_BYTES } from '../constants.js'
import { describeAwsError, errorName } from '../aws/errors.js'
import type { PutSettings, RotateSettings } from '../settings/index.js'
import { attemptThatWrote, isEarlierAttempt, versionToken, type WriteIdentity } from './client-token.js'
import { digestOf, listVersions, versionBeforeRun, versionValue } from './history.js'
import { JsonMergeError, setJsonKey } from './json-merge.js'
import { arnInRegion, replicasOf, type Replica } from './replicas.js'
import { AWSCURRENT, describeStages, pendingRotation, versionWithLabel, type VersionStages } from './staging-labels.js'

/** Everything known before the first write: what the secret is now and what will be written. */
export interface SecretPlan {
  mode: 'put' | 'rotate'
  arn: string
  name: string
  region: string
  /** The VersionId the new version gets (its ClientRequestToken), or the one an earlier attempt wrote. */
  token: string
  /**
   * The version that was AWSCURRENT before this run's first attempt changed the secret: what a
   * rollback moves back to, and the `previous-version-id` output.
   */
  previousVersionId?: string
  /** AWSCURRENT at the pre-check: the version a put's AWSPREVIOUS must be once it is written (json-key: merged from). */
  baseVersionId?: string
  /** An earlier attempt of this run and step already made this change: nothing is written again. */
  alreadyCreated: boolean
  /** Which attempt wrote it, when alreadyCreated. */
  writtenByAttempt?: number
  /** The version is that of a rotation already running, which this run waits for. */
  adopted?: boolean
  /** The AWS service that manages the secret (OwningService), whose managed rotation RotateSecret runs. */
  owningService?: string
  /** rotate on a secret whose automatic rotation is off: RotateSecret turns the schedule back on. */
  turnsRotationBackOn?: boolean
  /** Replicas in other regions, which get the new version after the primary (ReplicationStatus). */
  replicas?: Replica[]
  /** Every region the secret can be read in (primary first): discovery matches its ARN in each. */
  regions?: string[]
  /** The new SecretString, for put (masked). */
  value?: string
  /** put with json-key: the key set in the document. */
  jsonKey?: string
  rotationLambdaArn?: string
  /** rollback-on-failure: digests of the rollback target's value and of the value this run makes current. */
  rollbackCheck?: { targetDigest: string; newDigest?: string }
}

/** What the pre-check needs of the settings: the secret, the run, and the inputs of its mode. */
export type SecretChangeInputs =
  | Pick<RotateSettings, 'mode' | 'secretId' | 'secretRegion' | 'run' | 'rotationLambdaArn' | 'ifRotationInProgress' | 'ifRotationDisabled'>
  | PutInputs
type PutInputs = Pick<PutSettings, 'mode' | 'secretId' | 'secretRegion' | 'run' | 'value' | 'jsonKey' | 'rollbackOnFailure'>

/** A version's SecretString, read by id. */
type ReadVersion = (versionId: string) => Promise<string | undefined>

/** A problem found before anything was written; the message names the input or resource. */
export class PrecheckError extends Error {
  override name = 'PrecheckError'
}

/**
 * Reads the secret and checks that the change can be made: it exists, is not scheduled for
 * deletion, has no other rotation in progress, and (rotate) has rotation configured. For put it
 * also works out the new value (generated, or merged into the JSON secret). Writes nothing.
 */
export async function prepareSecretChange(
  sm: SecretsManagerClient,
  settings: SecretChangeInputs,
  mask: (value: string) => void,
  log: (message: string) => void = () => undefined
): Promise<SecretPlan> {
  const { mode, secretId } = settings
  const jsonKey = settings.mode === 'put' ? settings.jsonKey : undefined
  const secret = await describeSecret(sm, secretId, settings.secretRegion)
  const arn = secret.ARN as string
  const name = secret.Name ?? secretId
  const stages: VersionStages = secret.VersionIdsToStages ?? {}

  if (secret.DeletedDate) {
    throw new PrecheckError(
      `\`${Inputs.SecretId}\`: secret "${name}" is scheduled for deletion (since ${secret.DeletedDate.toISOString()}); restore it first (aws secretsmanager restore-secret)`
    )
  }

  if (secret.PrimaryRegion && secret.PrimaryRegion !== settings.secretRegion) {
    throw new PrecheckError(
      `\`${Inputs.SecretId}\`: "${name}" in ${settings.secretRegion} is a replica; Secrets Manager takes changes only in its primary region, ` +
        `${secret.PrimaryRegion}, and replicates them. Set \`${Inputs.AwsRegion}: ${secret.PrimaryRegion}\` or use the primary's ARN ` +
        `(${arnInRegion(arn, secret.PrimaryRegion)}); nothing was changed`
    )
  }
  const replicas = replicasOf(secret)
  const regions = [settings.secretRegion, ...replicas.filter((r) => r.status !== 'Failed').map((r) => r.region)]

  const owningService = secret.OwningService || undefined
  if (owningService && mode === 'put') {
    throw new PrecheckError(
      `\`${Inputs.SecretId}\`: secret "${name}" is managed by ${owningService} (OwningService), which owns its value: a put would ` +
        `leave ${owningService} and the secret disagreeing. Change it through ${owningService} (for an RDS master password, ` +
        'aws rds modify-db-instance --rotate-master-user-password), or use mode rotate, which asks the managing service to rotate it'
    )
  }

  const identity: WriteIdentity = { run: settings.run, secretArn: arn, mode, jsonKey }
  const current = versionWithLabel(stages, AWSCURRENT)
  const pending = pendingRotation(stages)
  const pendingOurs = pending !== undefined && isEarlierAttempt(pending, identity)
  // With if-rotation-in-progress: wait, a rotation already running is the change this run rolls out.
  const adopted = Boolean(pending && !pendingOurs && settings.mode === 'rotate' && settings.ifRotationInProgress === 'wait')
  if (pending && !pendingOurs && !adopted) {
    throw new PrecheckError(
      `secret "${name}": a rotation is already in progress (version ${pending} is AWSPENDING; ${describeStages(stages)}). ` +
        'Wait for it to finish (or set `if-rotation-in-progress: wait`), or if it failed, fix the rotation function and remove the label: ' +
        `aws secretsmanager update-secret-version-stage --secret-id ${name} --version-stage AWSPENDING --remove-from-version-id ${pending}`
    )
  }
  if (pending && pendingOurs && mode === 'put') {
    throw new PrecheckError(`secret "${name}": version ${pending} is AWSPENDING (${describeStages(stages)}); a put would not finish it`)
  }

  const before = await versionBeforeRun(stages, identity, () => listVersions(sm, arn)).catch((error: unknown) => {
    throw new PrecheckError(`Could not list the versions of "${name}" to find the one before this run: ${describeAwsError(error)}`)
  })
  // An earlier attempt of this run and step whose version is AWSCURRENT (or whose rotation is still running) made this change.
  const earlier = pendingOurs ? pending : current && isEarlierAttempt(current, identity) ? current : undefined
  const plan: SecretPlan = {
    mode,
    arn,
    name,
    region: settings.secretRegion,
    token: adopted ? (pending as string) : versionToken(identity),
    previousVersionId: before.versionId,
    baseVersionId: current,
    alreadyCreated: adopted,
    adopted,
    replicas,
    regions,
    jsonKey
  }
  if (before.judgedBy === 'creation time') {
    log(`Version ${before.versionId ?? '(none)'} was the newest version before this run's first attempt: a rollback would move back to it.`)
  }

  if (settings.mode === 'rotate') {
    if (earlier) return { ...plan, token: earlier, alreadyCreated: true, writtenByAttempt: attemptThatWrote(earlier, identity) }
    if (!adopted && !owningService && !secret.RotationEnabled && !secret.RotationLambdaARN && !settings.rotationLambdaArn) {
      throw new PrecheckError(
        `secret "${name}" has no rotation configured: set \`${Inputs.RotationLambdaArn}\`, configure rotation on the secret, or use mode put`
      )
    }
    // RotationEnabled is false (not absent) once rotation was configured and then turned off.
    const turnsRotationBackOn = !adopted && secret.RotationEnabled === false
    if (turnsRotationBackOn && settings.ifRotationDisabled !== 'enable') {
      throw new PrecheckError(
        `secret "${name}": automatic rotation is turned off, and RotateSecret turns it back on (${describeSchedule(secret)}). ` +
          `Set \`${Inputs.IfRotationDisabled}: enable\` to rotate and turn the schedule back on, or use mode put to change the value without rotation`
      )
    }
    return { ...plan, rotationLambdaArn: settings.rotationLambdaArn, owningService, turnsRotationBackOn }
  }
  // Each version is read at most once: the merge's base is also the rollback target on a first attempt.
  const texts = new Map<string, Promise<string | undefined>>()
  const read: ReadVersion = (versionId) => {
    if (!texts.has(versionId)) texts.set(versionId, versionValue(sm, arn, versionId))
    return texts.get(versionId) as Promise<string | undefined>
  }
  const put = await plannedValue(sm, settings, plan, earlier, mask, log, read)
  const rollbackCheck = settings.rollbackOnFailure ? await rollbackTargetCheck(put, read) : undefined
  return { ...put, rollbackCheck }
}

/**
 * What a put writes. A re-run converges: when an earlier attempt of this run and step made
 * AWSCURRENT and it holds what this attempt would write (the same given value, the same merged
 * JSON; a generated value is whatever that attempt generated), nothing is written again.
 */
async function plannedValue(
  sm: SecretsManagerClient,
  settings: PutInputs,
  plan: SecretPlan,
  earlier: string | undefined,
  mask: (value: string) => void,
  log: (message: string) => void,
  read: ReadVersion
): Promise<SecretPlan> {
  const source = settings.value
  const converged = (): SecretPlan => ({
    ...plan,
    token: earlier as string,
    alreadyCreated: true,
    writtenByAttempt: attemptThatWrote(earlier as string, { run: settings.run, secretArn: plan.arn, mode: 'put', jsonKey: plan.jsonKey })
  })
  if (earlier && source.kind === 'generate') return converged()

  const currentText = settings.jsonKey || earlier ? await currentValue(read, plan, settings.jsonKey !== undefined, log) : undefined
  if (currentText !== undefined) mask(currentText)
  let value: string
  if (source.kind === 'given') {
    value = source.value
  } else {
    const generated = await sm.send(
      new GetRandomPasswordCommand({
        PasswordLength: source.length,
        ExcludeCharacters: source.excludeCharacters,
        ExcludePunctuation: source.excludePunctuation
      })
    )
    value = generated.RandomPassword ?? ''
    if (!value) throw new PrecheckError('GetRandomPassword returned no password')
    mask(value)
  }
  if (settings.jsonKey) {
    if (!plan.baseVersionId) {
      throw new PrecheckError(`\`${Inputs.JsonKey}\`: secret has no AWSCURRENT version to merge "${settings.jsonKey}" into`)
    }
    if (currentText === undefined) throw new PrecheckError(`\`${Inputs.JsonKey}\`: the current value is binary, not a JSON object`)
    try {
      value = setJsonKey(currentText, settings.jsonKey, value)
    } catch (error) {
      if (!(error instanceof JsonMergeError)) throw error
      throw new PrecheckError(
        `\`${Inputs.JsonKey}\`: ${error.message}, so key "${settings.jsonKey}" cannot be set in it; nothing was changed`
      )
    }
    mask(value)
    const bytes = Buffer.byteLength(value, 'utf8')
    if (bytes > MAX_SECRET_BYTES) {
      throw new PrecheckError(
        `\`${Inputs.JsonKey}\`: the merged value would be ${bytes} bytes, above Secrets Manager's limit of ${MAX_SECRET_BYTES} bytes; nothing was changed`
      )
    }
  }
  if (earlier && currentText === value) {
    log(`Version ${earlier}, written by an earlier attempt of this run, is AWSCURRENT and holds this value: not writing it again.`)
    return converged()
  }
  return { ...plan, value }
}

/** AWSCURRENT's text: needed to merge a key into it, or to see whether an earlier attempt already wrote this value. */
async function currentValue(
  read: ReadVersion,
  plan: SecretPlan,
  required: boolean,
  log: (message: string) => void
): Promise<string | undefined> {
  if (!plan.baseVersionId) return undefined
  try {
    return await read(plan.baseVersionId)
  } catch (error) {
    if (required) throw error
    log(
      `Could not read AWSCURRENT (${plan.baseVersionId}, written by an earlier attempt of this run) to compare it with the new value: ` +
        `${describeAwsError(error)}. Writing the value as a new version.`
    )
    return undefined
  }
}

/**
 * rollback-on-failure: the value of the version a rollback would move back to, read now, so a
 * rollback never "restores" the value it is undoing and a role that cannot read it is told before any write.
 */
async function rollbackTargetCheck(plan: SecretPlan, read: ReadVersion): Promise<SecretPlan['rollbackCheck']> {
  const target = plan.previousVersionId
  if (!target) return undefined
  let text: string | undefined
  try {
    text = await read(target)
  } catch (error) {
    throw new PrecheckError(
      `\`${Inputs.RollbackOnFailure}\`: could not read version ${target} of "${plan.name}", the one a rollback would restore ` +
        `(secretsmanager:GetSecretValue on the secret is needed to check it): ${describeAwsError(error)}; nothing was changed`
    )
  }
  if (text === undefined) return undefined
  return { targetDigest: digestOf(text), newDigest: plan.value === undefined ? undefined : digestOf(plan.value) }
}

/**
 * The secret as DescribeSecret gives it (read-only), or a PrecheckError the user can act on:
 * it does not exist in that region, or why it could not be read (with the AWS error name).
 */
export async function describeSecret(sm: SecretsManagerClient, secretId: string, region: string): Promise<DescribeSecretCommandOutput> {
  try {
    return await sm.send(new DescribeSecretCommand({ SecretId: secretId }))
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      throw new PrecheckError(`\`${Inputs.SecretId}\`: secret "${secretId}" does not exist in ${region}`)
    }
    throw new PrecheckError(`Could not describe secret "${secretId}": ${describeAwsError(error)}`)
  }
}

/** The schedule a RotateSecret would turn back on, as DescribeSecret keeps it while rotation is off. */
function describeSchedule(secret: DescribeSecretCommandOutput): string {
  const rules = secret.RotationRules
  if (rules?.ScheduleExpression) return `schedule ${rules.ScheduleExpression}`
  return rules?.AutomaticallyAfterDays ? `every ${rules.AutomaticallyAfterDays} days` : 'its previous schedule'
}
