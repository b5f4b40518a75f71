import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import type { Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import type { Limit } from './batches.js'
import type { ServiceOutcome } from './outcome.js'

/**
 * Forces a new deployment of every service, in parallel under the concurrency limit, and records
 * on each outcome the new PRIMARY deployment the answer names: `started`, or `failed` when the
 * call fails (the others go on). Outcomes are updated in place, so a cancelled run still knows
 * which services were redeployed.
 */
export async function redeployServices(
  ecs: (region: string) => ECSClient,
  outcomes: ServiceOutcome[],
  limit: Limit,
  clock: Clock
): Promise<ServiceOutcome[]> {
  await Promise.all(
    outcomes.map((outcome) =>
      limit(async () => {
        const { ref } = outcome
        try {
          const { service } = await ecs(ref.region).send(
            new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, forceNewDeployment: true })
          )
          const primary = service?.deployments?.find((d) => d.status === 'PRIMARY')
          if (!primary?.id) {
            Object.assign(outcome, { status: 'failed', reason: 'UpdateService returned no PRIMARY deployment' })
            return
          }
          Object.assign(outcome, {
            status: 'started',
            reason: undefined,
            deploymentId: primary.id,
            startedAt: clock.now(),
            deploymentCreatedAt: primary.createdAt,
            desiredCount: primary.desiredCount,
            runningCount: primary.runningCount
          })
        } catch (error) {
          Object.assign(outcome, { status: 'failed', reason: `UpdateService failed: ${describeAwsError(error)}` })
        }
      })
    )
  )
  return outcomes
}
