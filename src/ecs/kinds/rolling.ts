import { UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs'
import { describeAwsError } from '../../aws/errors.js'
import type { ServiceRef } from '../../service-list.js'
import { describeInBatches } from '../batches.js'
import { classifyDeployment } from '../classify.js'
import { explainDeployment } from '../failure-details.js'
import type { ServiceOutcome } from '../outcome.js'
import type { DeploymentKind, KindContext, Observation, StartedDeployment } from './kind.js'

/**
 * The ECS deployment controller's rolling update: `UpdateService` with `forceNewDeployment`
 * starts a deployment that replaces every task, followed by its id in `deployments[]`.
 */
export function rollingKind(): DeploymentKind {
  // The last DescribeServices answer per service, for the events `explain` quotes.
  const lastSeen = new Map<ServiceRef, Service>()
  return {
    name: 'rolling',
    description: 'rolling update (forced new deployment)',
    startCall: 'UpdateService',

    async start(ref: ServiceRef, ctx: KindContext): Promise<StartedDeployment> {
      return (await forceNewDeployment(ref, ctx)).started
    },

    async observe(outcomes: readonly ServiceOutcome[], ctx: KindContext): Promise<Map<ServiceRef, Observation>> {
      const seen = await describeInBatches(
        (place) => ctx.ecs(place),
        outcomes.map((o) => o.ref)
      )
      const observations = new Map<ServiceRef, Observation>()
      for (const outcome of outcomes) {
        const found = seen.get(outcome.ref)
        if (!found) continue
        if ('error' in found) {
          observations.set(outcome.ref, { state: 'unseen', warning: describeAwsError(found.error) })
        } else if ('missing' in found) {
          observations.set(outcome.ref, { state: 'failed', reason: `service disappeared (${found.missing})` })
        } else {
          lastSeen.set(outcome.ref, found.service)
          observations.set(outcome.ref, observeService(found.service, outcome.deploymentId as string))
        }
      }
      return observations
    },

    async explain(outcome: ServiceOutcome, ctx: KindContext): Promise<string[]> {
      return explainDeployment(ctx.ecs(outcome.ref), outcome, lastSeen.get(outcome.ref))
    }
  }
}

/** The classification, with the task counts of our deployment (not the service's, which mix deployments). */
function observeService(service: Service, deploymentId: string): Observation {
  const ours = service.deployments?.find((d) => d.id === deploymentId)
  const observed = classifyDeployment(service, deploymentId)
  if (observed.state === 'failed') return observed
  const counts = { runningCount: ours?.runningCount, desiredCount: ours?.desiredCount }
  if (observed.state === 'in-progress') return { ...observed, ...counts }
  const remain = earlySuccess(service)
  return {
    ...observed,
    ...counts,
    ...(remain ? { previousTasks: { why: remain, awaited: true } } : {}),
    ...(ours?.desiredCount === 0 ? { note: NO_TASKS } : {})
  }
}

/** A service scaled to zero: no task runs the old value, so nothing is replaced or proven. */
export const NO_TASKS = 'no tasks to replace (desiredCount 0)'

/**
 * With early success criteria, ECS calls a deployment complete before the previous tasks are
 * gone: DEFERRED removes them afterwards, and a healthyPercent below 100 completes with fewer new
 * tasks than desired (ECS scales the new revision up in the background). The rollout proof then
 * waits for them, within deployment-timeout, instead of failing on them.
 */
export function earlySuccess(service: Service): string | undefined {
  const criteria = service.deploymentConfiguration?.earlySuccessCriteria
  if (!criteria?.enable) return undefined
  if (criteria.sourceServiceRevisionCleanup === 'DEFERRED')
    return 'early success criteria: ECS removes them after the deployment (DEFERRED)'
  if ((criteria.healthyPercent ?? 100) < 100)
    return `early success criteria: the deployment completed at ${criteria.healthyPercent}% healthy`
  return undefined
}

/**
 * `UpdateService` with `forceNewDeployment`, for every kind the ECS controller deploys: the
 * deployment it started (the new PRIMARY) and the service as the answer shows it.
 */
export async function forceNewDeployment(ref: ServiceRef, ctx: KindContext): Promise<{ started: StartedDeployment; service: Service }> {
  const update = new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, forceNewDeployment: true })
  const { service } = await ctx.ecsWriter(ref).send(update, { abortSignal: ctx.signal })
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY')
  if (!service || !primary?.id) throw new Error('UpdateService returned no PRIMARY deployment')
  const started = {
    deploymentId: primary.id,
    createdAt: primary.createdAt,
    runningCount: primary.runningCount,
    desiredCount: primary.desiredCount
  }
  return { started, service }
}
