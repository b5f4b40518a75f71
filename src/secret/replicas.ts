import { DescribeSecretCommand, type DescribeSecretCommandOutput, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { pause, type Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import { AWSCURRENT, describeStages, hasLabel, type VersionStages } from './staging-labels.js'

/** One replica of the secret, as the primary's DescribeSecret lists it. */
export interface Replica {
  region: string
  /** InSync, InProgress or Failed (a Failed replica was never created). */
  status: string
  message?: string
}

/** Whether a replica region had the new version as AWSCURRENT, and when this run saw it there. */
export interface ReplicaResult {
  region: string
  status: 'in-sync' | 'failed' | 'timed-out'
  /** When DescribeSecret in that region first showed the version as AWSCURRENT: tasks started later read it. */
  currentAt?: Date
  waitedSeconds: number
  reason?: string
}

/** The replicas DescribeSecret lists (ReplicationStatus), in a stable order. */
export function replicasOf(secret: DescribeSecretCommandOutput): Replica[] {
  return (secret.ReplicationStatus ?? [])
    .filter((r) => r.Region)
    .map((r) => ({ region: r.Region as string, status: r.Status ?? 'InProgress', message: r.StatusMessage || undefined }))
    .sort((a, b) => a.region.localeCompare(b.region))
}

/** The secret's ARN as seen in another region: replicas keep the name, account and random suffix. */
export function arnInRegion(arn: string, region: string): string {
  const parts = arn.split(':')
  parts[3] = region
  return parts.join(':')
}

export interface ReplicaWaitOptions {
  clock: Clock
  /** rotation-timeout: how long each replica may take to show the new version. */
  timeoutSeconds: number
  log(message: string): void
  signal?: AbortSignal
}

/**
 * Follows each replica region until it shows `versionId` as AWSCURRENT (DescribeSecret there),
 * each on its own, so services in a region can be redeployed as soon as their replica has the
 * new value. A Failed replica never gets it: its result is immediate, with the replication message.
 */
export function waitForReplicas(
  sm: (region: string) => SecretsManagerClient,
  secret: { arn: string; name: string; versionId: string },
  replicas: readonly Replica[],
  options: ReplicaWaitOptions
): Map<string, Promise<ReplicaResult>> {
  const waits = new Map<string, Promise<ReplicaResult>>()
  for (const replica of replicas) waits.set(replica.region, waitForReplica(sm(replica.region), secret, replica, options))
  return waits
}

async function waitForReplica(
  sm: SecretsManagerClient,
  secret: { arn: string; name: string; versionId: string },
  replica: Replica,
  options: ReplicaWaitOptions
): Promise<ReplicaResult> {
  const { clock } = options
  const region = replica.region
  const started = clock.now()
  const result = (fields: Omit<ReplicaResult, 'region' | 'waitedSeconds'>): ReplicaResult => ({
    region,
    waitedSeconds: (clock.now() - started) / 1000,
    ...fields
  })
  if (replica.status === 'Failed') {
    return result({
      status: 'failed',
      reason: `the replica of ${secret.name} in ${region} failed (${replica.message ?? 'no message'}), so it does not have the new version`
    })
  }
  const deadline = started + options.timeoutSeconds * 1000
  const arn = arnInRegion(secret.arn, region)
  let stages: VersionStages = {}
  let lastError = ''
  // A replica usually catches up within seconds: looking every 2 s at most keeps its services from waiting long after.
  for (let interval = 500; ; interval = Math.min(interval * 1.5, 2000)) {
    try {
      stages = (await sm.send(new DescribeSecretCommand({ SecretId: arn }), { abortSignal: options.signal })).VersionIdsToStages ?? {}
      lastError = ''
    } catch (error) {
      // A replica still being created is not found yet; keep looking until the deadline.
      lastError = describeAwsError(error)
    }
    if (hasLabel(stages, secret.versionId, AWSCURRENT)) {
      const found = result({ status: 'in-sync', currentAt: new Date(clock.now()) })
      options.log(`Replica in ${region} has version ${secret.versionId} as AWSCURRENT after ${Math.round(found.waitedSeconds)}s`)
      return found
    }
    const now = clock.now()
    if (now >= deadline || options.signal?.aborted) {
      const seen = lastError ? `DescribeSecret there failed: ${lastError}` : `it shows ${describeStages(stages)}`
      return result({
        status: 'timed-out',
        reason: `the replica of ${secret.name} in ${region} did not show version ${secret.versionId} as AWSCURRENT within ${options.timeoutSeconds}s (${seen})`
      })
    }
    await pause(clock, Math.min(interval, deadline - now), options.signal)
  }
}
