import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { Inputs } from '../constants.js'
import { describeAwsError, errorName } from '../aws/errors.js'
import type { Settings } from '../settings.js'
import { clientRequestToken } from './client-token.js'
import { arnInRegion, replicasOf, type Replica } from './replicas.js'
import {
  AWSCURRENT,
  AWSPREVIOUS,
  describeStages,
  hasLabel,
  pendingRotation,
  versionWithLabel,
  type VersionStages
} from './staging-labels.js'

/** Everything known before the first write: what the secret is now and what will be written. */
export interface SecretPlan {
  mode: 'put' | 'rotate'
  arn: string
  name: string
  region: string
  /** The VersionId the new version gets (its ClientRequestToken). */
  token: string
  previousVersionId?: string
  /** Set when an earlier try of this same run attempt already created the version. */
  alreadyCreated: boolean
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
  rotationLambdaArn?: string
}

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
  settings: Settings,
  mask: (value: string) => void
): Promise<SecretPlan> {
  const mode = settings.mode as 'put' | 'rotate'
  const secretId = settings.secretId as string
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

  const ownToken = clientRequestToken(settings.run, arn, mode)
  const pending = pendingRotation(stages)
  // With if-rotation-in-progress: wait, a rotation already running is the change this run rolls out.
  const adopted = Boolean(pending && pending !== ownToken && mode === 'rotate' && settings.ifRotationInProgress === 'wait')
  const token = adopted ? (pending as string) : ownToken
  const alreadyCreated = token in stages
  if (pending && pending !== token) {
    throw new PrecheckError(
      `secret "${name}": a rotation is already in progress (version ${pending} is AWSPENDING; ${describeStages(stages)}). ` +
        'Wait for it to finish (or set `if-rotation-in-progress: wait`), or if it failed, fix the rotation function and remove the label: ' +
        `aws secretsmanager update-secret-version-stage --secret-id ${name} --version-stage AWSPENDING --remove-from-version-id ${pending}`
    )
  }

  // On a re-run whose version is already AWSCURRENT, the version it replaced is now AWSPREVIOUS.
  const previousVersionId =
    alreadyCreated && hasLabel(stages, token, AWSCURRENT) ? versionWithLabel(stages, AWSPREVIOUS) : versionWithLabel(stages, AWSCURRENT)
  const plan: SecretPlan = {
    mode,
    arn,
    name,
    region: settings.secretRegion,
    token,
    previousVersionId,
    alreadyCreated,
    adopted,
    replicas,
    regions
  }

  if (mode === 'rotate') {
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
  if (alreadyCreated) return plan
  return { ...plan, value: await newValue(sm, settings, arn, previousVersionId, mask) }
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

async function newValue(
  sm: SecretsManagerClient,
  settings: Settings,
  arn: string,
  currentVersionId: string | undefined,
  mask: (value: string) => void
): Promise<string> {
  const source = settings.value
  if (!source) throw new PrecheckError(`mode put has no value source`)
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
  if (!settings.jsonKey) return value
  return mergeIntoJson(sm, settings.jsonKey, value, arn, currentVersionId, mask)
}

async function mergeIntoJson(
  sm: SecretsManagerClient,
  key: string,
  value: string,
  arn: string,
  currentVersionId: string | undefined,
  mask: (value: string) => void
): Promise<string> {
  if (!currentVersionId) {
    throw new PrecheckError(`\`${Inputs.JsonKey}\`: secret has no AWSCURRENT version to merge "${key}" into`)
  }
  const current = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionId: currentVersionId }))
  if (current.SecretString === undefined) {
    throw new PrecheckError(`\`${Inputs.JsonKey}\`: the current value is binary, not a JSON object`)
  }
  mask(current.SecretString)
  let document: unknown
  try {
    document = JSON.parse(current.SecretString)
  } catch {
    document = undefined
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new PrecheckError(
      `\`${Inputs.JsonKey}\`: the current value of the secret is not a JSON object, so key "${key}" cannot be set in it`
    )
  }
  const merged = JSON.stringify({ ...(document as Record<string, unknown>), [key]: value })
  mask(merged)
  return merged
}
