import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'
import type { Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import { retryWhileThrottled } from '../aws/throttling.js'
import type { ServiceOutcome } from './outcome.js'

/**
 * Forces a new deployment of every service and records on each outcome the new PRIMARY
 * deployment the answer names: `started`, or `failed` when the call fails (the others go on).
 * At most `lanes` calls are handed to the client at once: the writer client paces them to the
 * rate ECS allows, and a queue here keeps 500 waiting calls out of its memory. Throttled calls
 * are sent again until `deadline`. Outcomes are updated in place, so the poller follows each
 * service as soon as it starts, and a cancelled run knows which were redeployed.
 */
export async function redeployServices(
  ecs: (region: string) => ECSClient,
  outcomes: ServiceOutcome[],
  clock: Clock,
  deadline: number,
  lanes = 10
): Promise<ServiceOutcome[]> {
  const lane = pLimit(lanes)
  await Promise.all(
    outcomes.map(async (outcome) => {
      const { ref } = outcome
      const update = new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, forceNewDeployment: true })
      try {
        // The pause after a throttle is taken outside the lane, so other services go ahead.
        const { service } = await retryWhileThrottled(() => lane(() => ecs(ref.region).send(update)), clock, deadline)
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
  return outcomes
}
