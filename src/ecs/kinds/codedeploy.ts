import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo
} from '@aws-sdk/client-codedeploy'
import type { Service } from '@aws-sdk/client-ecs'
import { randomUUID } from 'node:crypto'
import { describeAwsError, errorName } from '../../aws/errors.js'
import { placeKey, type Place } from '../../aws/place.js'
import { appSpecContent, appSpecTarget, type AppSpecTarget } from '../../codedeploy/appspec.js'
import { ecsDeploymentGroups, ecsServiceKey, type EcsDeploymentGroup } from '../../codedeploy/deployment-groups.js'
import type { ServiceRef } from '../../service-list.js'
import { chunks, describeInBatches } from '../batches.js'
import { serviceKey } from '../../service-list.js'
import type { ServiceOutcome } from '../outcome.js'
import type { DeploymentKind, KindChoice, KindContext, Observation, StartedDeployment } from './kind.js'

/** BatchGetDeployments takes at most 25 ids. */
const BATCH_MAX = 25
const MAX_EVENTS = 2

/** What preflight decided for a CODE_DEPLOY service: its deployment group and what the AppSpec reuses. */
interface Plan {
  group: EcsDeploymentGroup
  target: AppSpecTarget
  desiredCount?: number
}

export interface CodeDeployKind extends DeploymentKind {
  /** At preflight: the one deployment group that deploys the service, or why it cannot be redeployed. */
  choose(ref: ServiceRef, service: Service, codedeploy: CodeDeployClient): Promise<KindChoice>
}

/**
 * A service whose deployment controller is CODE_DEPLOY (ECS refuses a forced new deployment for
 * it): redeployed the way ECS's console does it, by a CodeDeploy deployment of the deployment
 * group whose ecsServices name the service, with an AppSpec that reuses the service's current
 * task definition and load-balancer container and port. Followed by its `d-…` id.
 */
export function codeDeployKind(): CodeDeployKind {
  const plans = new Map<string, Plan>()
  // Deployment groups are read once per place and round: CodeDeploy has no lookup by service.
  const groupIndexes = new Map<string, ReturnType<typeof ecsDeploymentGroups>>()
  // Marks this round's deployments, so a retried CreateDeployment can recognise its own.
  const description = `secret-rollout: redeploy with the same task definition (${randomUUID()})`

  const kind: CodeDeployKind = {
    name: 'codedeploy',
    description: 'CodeDeploy blue/green (new deployment, same task definition)',
    startCall: 'CreateDeployment',

    async choose(ref, service, codedeploy) {
      const target = appSpecTarget(service)
      if ('problem' in target) return { refused: `its deployment controller is CODE_DEPLOY, but ${target.problem}` }
      let index = groupIndexes.get(placeKey(ref))
      if (!index) {
        index = ecsDeploymentGroups(codedeploy)
        groupIndexes.set(placeKey(ref), index)
      }
      let groups: EcsDeploymentGroup[]
      try {
        groups = (await index).get(ecsServiceKey(ref.clusterName, ref.service)) ?? []
      } catch (error) {
        return {
          refused: `its deployment controller is CODE_DEPLOY, and its CodeDeploy deployment group could not be looked up: ${describeAwsError(error)}`
        }
      }
      if (groups.length === 0) {
        return {
          refused: `its deployment controller is CODE_DEPLOY, and no CodeDeploy deployment group (compute platform ECS) in ${ref.region} names it in its ECS services: only CodeDeploy can deploy it`
        }
      }
      if (groups.length > 1) {
        const names = groups.map((g) => `${g.application}/${g.group}`).join(', ')
        return {
          refused: `its deployment controller is CODE_DEPLOY, and ${groups.length} CodeDeploy deployment groups name it (${names}): which one deploys it is ambiguous`
        }
      }
      plans.set(serviceKey(ref), { group: groups[0], target, desiredCount: service.desiredCount })
      return { kind }
    },

    async start(ref: ServiceRef, ctx: KindContext): Promise<StartedDeployment> {
      const plan = plans.get(serviceKey(ref))
      if (!plan) throw new Error('no CodeDeploy deployment group was chosen for it at preflight')
      const codedeploy = ctx.codedeploy(ref)
      const create = new CreateDeploymentCommand({
        applicationName: plan.group.application,
        deploymentGroupName: plan.group.group,
        description,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecContent(plan.target) } }
      })
      try {
        const { deploymentId } = await codedeploy.send(create, { abortSignal: ctx.signal })
        if (!deploymentId) throw new Error('CreateDeployment returned no deployment id')
        return { deploymentId, desiredCount: plan.desiredCount }
      } catch (error) {
        // CreateDeployment takes no idempotency token: when an answer was lost and the SDK sent it
        // again, the group's active deployment may be the one this round created.
        const ours =
          errorName(error) === 'DeploymentLimitExceededException' ? await ownActiveDeployment(codedeploy, error, description) : undefined
        if (ours) return { deploymentId: ours, desiredCount: plan.desiredCount }
        throw error
      }
    },

    async observe(outcomes: readonly ServiceOutcome[], ctx: KindContext): Promise<Map<ServiceRef, Observation>> {
      const observations = new Map<ServiceRef, Observation>()
      const byPlace = new Map<string, ServiceOutcome[]>()
      for (const o of outcomes) byPlace.set(placeKey(o.ref), [...(byPlace.get(placeKey(o.ref)) ?? []), o])
      await Promise.all(
        [...byPlace.values()].flatMap((group) =>
          chunks(group, BATCH_MAX).map(async (batch) => {
            const place: Place = batch[0].ref
            try {
              const out = await ctx
                .codedeploy(place)
                .send(new BatchGetDeploymentsCommand({ deploymentIds: batch.map((o) => o.deploymentId as string) }))
              for (const o of batch) {
                const info = out.deploymentsInfo?.find((d) => d.deploymentId === o.deploymentId)
                observations.set(
                  o.ref,
                  info ? observeDeployment(info) : { state: 'unseen', warning: `BatchGetDeployments did not return ${o.deploymentId}` }
                )
              }
            } catch (error) {
              for (const o of batch) observations.set(o.ref, { state: 'unseen', warning: describeAwsError(error) })
            }
          })
        )
      )
      await addTaskSets(observations, outcomes, ctx)
      return observations
    },

    async explain(outcome: ServiceOutcome, ctx: KindContext): Promise<string[]> {
      if (!outcome.deploymentId) return []
      try {
        return await lifecycleEvents(ctx.codedeploy(outcome.ref), outcome.deploymentId, outcome.reason ?? '')
      } catch {
        // Lifecycle events only add to the reason the deployment's status gave.
        return []
      }
    }
  }
  return kind
}

/**
 * For deployments that succeeded: the id of the service's PRIMARY task set, which its tasks carry
 * in `startedBy` (what the rollout proof checks). Unseen this round when it cannot be read.
 */
async function addTaskSets(
  observations: Map<ServiceRef, Observation>,
  outcomes: readonly ServiceOutcome[],
  ctx: KindContext
): Promise<void> {
  const done = outcomes.filter((o) => observations.get(o.ref)?.state === 'succeeded')
  if (done.length === 0) return
  const seen = await describeInBatches(
    (place) => ctx.ecs(place),
    done.map((o) => o.ref)
  )
  for (const o of done) {
    const found = seen.get(o.ref)
    const primary = found && 'service' in found ? found.service.taskSets?.find((t) => t.status === 'PRIMARY') : undefined
    if (primary?.id) {
      observations.set(o.ref, {
        state: 'succeeded',
        tasksStartedBy: primary.id,
        runningCount: primary.runningCount,
        desiredCount: primary.computedDesiredCount
      })
    } else {
      const why = found && 'error' in found ? describeAwsError(found.error) : 'no PRIMARY task set'
      observations.set(o.ref, { state: 'unseen', warning: `${o.deploymentId} succeeded; its task set could not be read: ${why}` })
    }
  }
}

/** Where a CodeDeploy deployment stands, from BatchGetDeployments. */
export function observeDeployment(info: DeploymentInfo): Observation {
  const id = info.deploymentId ?? '?'
  switch (info.status) {
    case 'Succeeded':
      return { state: 'succeeded' }
    case 'Failed':
    case 'Stopped': {
      const error = info.errorInformation
      const why = error ? `: ${[error.code, error.message].filter(Boolean).join(': ')}` : ''
      return { state: 'failed', reason: `CodeDeploy deployment ${id} ${info.status}${why}` }
    }
    case 'Ready':
      return {
        state: 'in-progress',
        progress: `CodeDeploy deployment ${id} Ready: waiting for traffic to be rerouted to the replacement task set`
      }
    default:
      return { state: 'in-progress', progress: `CodeDeploy deployment ${id} ${info.status ?? 'in an unknown state'}` }
  }
}

/** The group's active deployment named in a DeploymentLimitExceededException, if this round created it. */
async function ownActiveDeployment(codedeploy: CodeDeployClient, error: unknown, description: string): Promise<string | undefined> {
  const id = /'(d-[A-Z0-9]+)'/.exec(error instanceof Error ? error.message : '')?.[1]
  if (!id) return undefined
  try {
    const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
    return deploymentInfo?.description === description ? id : undefined
  } catch {
    return undefined
  }
}

/**
 * The ECS target's lifecycle events that failed, or the one still running, in CodeDeploy's words
 * (a message the reason already quotes is not repeated).
 */
async function lifecycleEvents(codedeploy: CodeDeployClient, deploymentId: string, known: string): Promise<string[]> {
  const { targetIds } = await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId }))
  if (!targetIds?.length) return []
  const { deploymentTargets } = await codedeploy.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: targetIds.slice(0, 25) })
  )
  const details: string[] = []
  for (const target of deploymentTargets ?? []) {
    for (const event of target.ecsTarget?.lifecycleEvents ?? []) {
      if (event.status === 'Failed') {
        const message = event.diagnostics?.message
        details.push(`lifecycle event ${event.lifecycleEventName} Failed${message && !known.includes(message) ? `: ${message}` : ''}`)
      } else if (event.status === 'InProgress') {
        const since = event.startTime ? ` since ${event.startTime.toISOString()}` : ''
        details.push(`lifecycle event ${event.lifecycleEventName} still InProgress${since}`)
      }
    }
  }
  return details.slice(0, MAX_EVENTS)
}
