import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import type { Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import type { ServiceRef } from '../service-list.js'
import type { Limit } from './batches.js'
import type { ServiceOutcome } from './outcome.js'

/**
 * Forces a new deployment of every service, in parallel under the concurrency limit, and records
 * the new PRIMARY deployment each answer names. A service whose call fails is `failed`; the
 * others go on. Successful ones come back as `started`.
 */
export async function redeployServices(
  ecs: (region: string) => ECSClient,
  refs: readonly ServiceRef[],
  limit: Limit,
  clock: Clock
): Promise<ServiceOutcome[]> {
  return Promise.all(
    refs.map((ref) =>
      limit(async (): Promise<ServiceOutcome> => {
        try {
          const { service } = await ecs(ref.region).send(
            new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, forceNewDeployment: true })
          )
          const primary = service?.deployments?.find((d) => d.status === 'PRIMARY')
          if (!primary?.id) return { ref, status: 'failed', reason: 'UpdateService returned no PRIMARY deployment' }
          return {
            ref,
            status: 'started',
            deploymentId: primary.id,
            startedAt: clock.now(),
            deploymentCreatedAt: primary.createdAt,
            desiredCount: primary.desiredCount,
            runningCount: primary.runningCount
          }
        } catch (error) {
          return { ref, status: 'failed', reason: `UpdateService failed: ${describeAwsError(error)}` }
        }
      })
    )
  )
}
