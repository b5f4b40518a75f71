import { DescribeServiceDeploymentsCommand, type ServiceDeployment } from '@aws-sdk/client-ecs'
import { describeAwsError, errorName } from '../../aws/errors.js'
import type { WaitUntil } from '../../constants.js'
import { placeKey } from '../../aws/place.js'
import { serviceKey } from '../../service-list.js'
import type { ServiceRef } from '../../service-list.js'
import { chunks } from '../batches.js'
import type { ServiceOutcome } from '../outcome.js'
import type { DeploymentKind, KindContext, Observation, StartedDeployment } from './kind.js'
import { earlySuccess, forceNewDeployment, NO_TASKS, rollingKind } from './rolling.js'

/** DescribeServiceDeployments takes at most 20 ARNs. */
const BATCH_MAX = 20

export type NativeStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY'

const LABEL: Record<NativeStrategy, string> = { BLUE_GREEN: 'blue/green', LINEAR: 'linear', CANARY: 'canary' }

/** Stages at which all production traffic is on the new revision (bake time, then clean-up). */
const TRAFFIC_SHIFTED = ['BAKE_TIME', 'CLEAN_UP']

/** What is lost when a deployment is followed through deployments[] instead of its record. */
const LOST = 'its lifecycle stage, bake time, hook, alarm and rollback details are not shown, and its end is judged by rolloutState alone'

/**
 * ECS's own blue/green, linear and canary strategies: `UpdateService` with `forceNewDeployment`,
 * then the deployment this run started is followed through ECS's service-deployment record (the
 * ARN the answer gives as `currentServiceDeployment`), which knows the lifecycle stage, bake time,
 * hooks, alarms and rollbacks. Where the record is missing or not permitted, the deployment is
 * followed through `deployments[]` as a rolling update is, with one warning saying what is lost.
 */
export function nativeStrategyKind(strategy: NativeStrategy, waitUntil: WaitUntil = 'completed'): DeploymentKind {
  // The service deployment each service's redeploy started, by service (refs are copied in outcomes).
  const records = new Map<string, string>()
  // Early success criteria, by service: ECS may call the deployment a success before the previous tasks are gone.
  const early = new Map<string, string>()
  const fallback = rollingKind()
  const warned = new Set<string>()
  const fallBack = (ctx: KindContext, refs: readonly ServiceRef[], why: string) => {
    for (const ref of refs) records.delete(serviceKey(ref))
    if (warned.has(why)) return
    warned.add(why)
    ctx.warn(
      `${refs.map((r) => r.label).join(', ')}: ${why}; following ${refs.length > 1 ? 'them' : 'it'} through deployments[] instead: ${LOST}`
    )
  }

  return {
    name: strategy.toLowerCase().replace('_', '-'),
    description: `ECS ${LABEL[strategy]} (forced new deployment${waitUntil === 'traffic-shifted' ? ', waited for until traffic shifted' : ''})`,
    startCall: 'UpdateService',

    async start(ref: ServiceRef, ctx: KindContext): Promise<StartedDeployment> {
      const { started, service } = await forceNewDeployment(ref, ctx)
      const remain = earlySuccess(service)
      if (remain) early.set(serviceKey(ref), remain)
      // The answer names the service deployment it just started.
      if (service.currentServiceDeployment) records.set(serviceKey(ref), service.currentServiceDeployment)
      else fallBack(ctx, [ref], 'UpdateService named no service deployment (currentServiceDeployment)')
      return started
    },

    async observe(outcomes: readonly ServiceOutcome[], ctx: KindContext): Promise<Map<ServiceRef, Observation>> {
      const observations = new Map<ServiceRef, Observation>()
      const byPlace = new Map<string, ServiceOutcome[]>()
      for (const o of outcomes.filter((x) => records.has(serviceKey(x.ref))))
        byPlace.set(placeKey(o.ref), [...(byPlace.get(placeKey(o.ref)) ?? []), o])
      await Promise.all(
        [...byPlace.values()].flatMap((group) =>
          chunks(group, BATCH_MAX).map(async (batch) => {
            try {
              const arns = batch.map((o) => records.get(serviceKey(o.ref)) as string)
              const out = await ctx.ecs(batch[0].ref).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }))
              const missing: ServiceRef[] = []
              for (const o of batch) {
                const record = out.serviceDeployments?.find((d) => d.serviceDeploymentArn === records.get(serviceKey(o.ref)))
                if (record) observations.set(o.ref, observeRecord(record, waitUntil, early.get(serviceKey(o.ref))))
                else missing.push(o.ref)
              }
              if (missing.length)
                fallBack(ctx, missing, 'ECS has no service-deployment record of the deployment (DescribeServiceDeployments: MISSING)')
            } catch (error) {
              const name = errorName(error)
              if (name === 'AccessDeniedException' || name === 'UnknownOperationException') {
                fallBack(
                  ctx,
                  batch.map((o) => o.ref),
                  `ecs:DescribeServiceDeployments failed (${describeAwsError(error)})`
                )
              } else {
                for (const o of batch) observations.set(o.ref, { state: 'unseen', warning: describeAwsError(error) })
              }
            }
          })
        )
      )
      const rest = outcomes.filter((o) => !records.has(serviceKey(o.ref)))
      if (rest.length > 0) for (const [ref, seen] of await fallback.observe(rest, ctx)) observations.set(ref, seen)
      return observations
    },

    async explain(outcome: ServiceOutcome, ctx: KindContext): Promise<string[]> {
      return fallback.explain(outcome, ctx)
    }
  }
}

/**
 * Where a deployment stands by its service-deployment record. A rollback (requested, under way,
 * done or failed) and a stop are failures of the deployment this run started, whatever follows.
 * `earlySuccess`: why ECS may call it a success before the previous tasks are gone (see `earlySuccess`).
 */
export function observeRecord(record: ServiceDeployment, waitUntil: WaitUntil = 'completed', earlySuccess?: string): Observation {
  const target = record.targetServiceRevision
  const counts = { runningCount: target?.runningTaskCount, desiredCount: target?.requestedTaskCount }
  switch (record.status) {
    case 'SUCCESSFUL':
      return {
        state: 'succeeded',
        ...counts,
        ...(target?.requestedTaskCount === 0 ? { note: NO_TASKS } : {}),
        ...(earlySuccess ? { previousTasks: { why: earlySuccess, awaited: true } } : {})
      }
    case 'PENDING':
    case 'IN_PROGRESS': {
      const stage = record.lifecycleStage
      if (waitUntil === 'traffic-shifted' && stage && TRAFFIC_SHIFTED.includes(stage)) {
        return {
          state: 'succeeded',
          ...counts,
          note: `production traffic shifted; ECS is still in ${stage}`,
          previousTasks: { why: `${stage === 'BAKE_TIME' ? 'bake time' : 'clean-up'}: they get no production traffic`, awaited: false }
        }
      }
      return { state: 'in-progress', progress: progressOf(record), ...counts }
    }
    default:
      return { state: 'failed', reason: failureOf(record) }
  }
}

function progressOf(record: ServiceDeployment): string {
  const paused = record.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION')
  const running = record.targetServiceRevision
  const parts = [
    paused
      ? `paused at a ${paused.targetType === 'PAUSE' ? 'pause' : 'lifecycle'} hook in ${record.lifecycleStage ?? '?'} (awaiting ContinueServiceDeployment)`
      : (record.lifecycleStage ?? record.status ?? 'IN_PROGRESS'),
    running ? `${running.runningTaskCount ?? 0}/${running.requestedTaskCount ?? 0} running` : undefined
  ]
  return parts.filter(Boolean).join(', ')
}

/** Every reason the record gives: its status and statusReason, the rollback's reason, alarms, circuit breaker. */
function failureOf(record: ServiceDeployment): string {
  const parts = [`service deployment ${record.status}${record.statusReason ? `: ${record.statusReason}` : ''}`]
  if (record.rollback?.reason) parts.push(`rollback: ${record.rollback.reason}`)
  const alarms = record.alarms?.triggeredAlarmNames ?? []
  if (alarms.length) parts.push(`alarms in ALARM: ${alarms.join(', ')}`)
  const breaker = record.deploymentCircuitBreaker
  if (breaker?.status === 'TRIGGERED' || (breaker?.failureCount ?? 0) > 0) {
    parts.push(`circuit breaker: ${breaker?.failureCount ?? 0} failed tasks of a threshold of ${breaker?.threshold ?? '?'}`)
  }
  const hook = record.lifecycleHookDetails?.find((h) => h.status === 'FAILED' || h.status === 'TIMED_OUT')
  if (hook) parts.push(`lifecycle hook ${hook.hookId ?? ''} ${hook.status}`.replace('  ', ' '))
  return parts.join('; ')
}
