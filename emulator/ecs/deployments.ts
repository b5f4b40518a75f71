import type { ServiceSpec } from '../scenario.js'
import type { Deployment, EcsState, Outcome, Service } from './state.js'

// How an ECS deployment advances over time: rolling, and ECS's own blue/green, linear and canary.
// A deployment's new tasks are up and (blue/green, linear, canary) take all production traffic
// `durationMs` after it starts; the bake time follows, then it completes.

const MAX_FAILED_TASKS = 6

/** What ECS says about a deployment that failed, and which monitor rolled it back. */
interface Failure {
  trigger: 'circuit-breaker' | 'alarm' | 'hook'
  rolloutStateReason: string
  event: string
  statusReason: string
  rollbackReason: string
}

/** Where a PRIMARY deployment still IN_PROGRESS is in its timeline, when `advance` looks at it. */
export interface Step {
  state: EcsState
  service: Service
  d: Deployment
  now: number
  /** When its new tasks are up and take all traffic; then the bake time; then it is done. */
  shiftedAt: number
  doneAt: number
}

interface OutcomeRule {
  /** Applies what has happened to the deployment by `now` (it may have ended). */
  step(s: Step): void
  /** Its tasks come up in proportion to the time elapsed while it rolls out (DescribeServices' runningCount). */
  rampsUp?: boolean
  /** It waits at the first lifecycle hook (DescribeServiceDeployments' lifecycleStage and hook status). */
  pausesAtHook?: boolean
  /** Why it failed, for the outcomes that roll back. */
  failure?: (spec: ServiceSpec) => Failure
}

/**
 * Every deployment outcome a scenario can name (`outcome:` of a service), in one place. A new
 * outcome is an entry here plus its name in scenario.ts's enum (the type checks the two agree).
 */
export const OUTCOMES: Record<Outcome, OutcomeRule> = {
  complete: {
    rampsUp: true,
    step({ state, service, d, now, shiftedAt, doneAt }) {
      if (now >= shiftedAt && bakeTimeOf(service.spec) > 0 && !d.tasksStarted) {
        state.startTasks(service, d, d.desiredCount, shiftedAt)
        d.tasksStarted = true
      }
      if (now >= doneAt) complete(state, service, d, doneAt)
    }
  },
  /** Tasks fail to start; the circuit breaker rolls back to the previous deployment. */
  'circuit-breaker': {
    step({ state, service, d, now, shiftedAt }) {
      failTasks(state, service, d, Math.min(now, shiftedAt))
      if (now >= shiftedAt) rollBack(state, service, d, shiftedAt)
    },
    failure: () => ({
      trigger: 'circuit-breaker',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      event: 'tasks failed to start.',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      rollbackReason: 'Circuit breaker triggered a rollback.'
    })
  },
  /** Tasks keep failing to start; it never stabilises. */
  stuck: {
    step({ state, service, d, now, shiftedAt }) {
      failTasks(state, service, d, Math.min(now, shiftedAt))
    }
  },
  /** A CloudWatch alarm fires once traffic has shifted: rolled back. */
  alarm: {
    step({ state, service, d, now, shiftedAt }) {
      if (now >= shiftedAt) rollBack(state, service, d, shiftedAt)
    },
    failure: (spec) => ({
      trigger: 'alarm',
      rolloutStateReason: `ECS deployment failed: alarm(s) ${spec.alarms[0] ?? '?'} are in ALARM state.`,
      event: `alarm(s) ${spec.alarms[0] ?? '?'} are in ALARM state.`,
      statusReason: `CloudWatch alarm(s) ${spec.alarms[0] ?? '?'} in ALARM state.`,
      rollbackReason: 'CloudWatch alarm triggered a rollback.'
    })
  },
  /** A lifecycle hook answers FAILED half way through: rolled back. */
  'hook-fails': {
    step({ state, service, d, now }) {
      const failAt = d.createdAt + d.durationMs / 2
      if (now >= failAt) rollBack(state, service, d, failAt)
    },
    failure: (spec) => ({
      trigger: 'hook',
      rolloutStateReason: `ECS deployment failed: lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
      event: `lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
      statusReason: `Lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
      rollbackReason: 'Lifecycle hook failure triggered a rollback.'
    })
  },
  /** Waits at its first lifecycle hook for a ContinueServiceDeployment nobody sends. */
  paused: {
    pausesAtHook: true,
    step() {}
  }
}

/** Bake time applies to ECS's own blue/green, linear and canary strategies. */
export function bakeTimeOf(spec: ServiceSpec): number {
  return spec.deploymentController === 'ECS' && spec.strategy !== 'ROLLING' ? spec.bakeTimeMs : 0
}

/** Applies, in time order, everything that has happened to a service's deployments by `now`. */
export function advanceService(state: EcsState, service: Service, now: number): void {
  for (const d of [...service.deployments]) {
    if (d.cleanupAt !== undefined && now >= d.cleanupAt) cleanUp(service, d)
    // Only the PRIMARY deployment rolls out; a superseded one is drained when the PRIMARY completes.
    if (d.rolloutState !== 'IN_PROGRESS' || d.status !== 'PRIMARY') continue
    const shiftedAt = d.createdAt + d.durationMs
    OUTCOMES[d.outcome].step({ state, service, d, now, shiftedAt, doneAt: shiftedAt + bakeTimeOf(service.spec) })
  }
}

export function complete(state: EcsState, service: Service, d: Deployment, at: number): void {
  const rollout = state.rollouts.find((r) => r.deploymentId === d.id)
  if (rollout) rollout.completedAt = at
  d.rolloutState = 'COMPLETED'
  d.updatedAt = at
  if (d.record) Object.assign(d.record, { status: 'SUCCESSFUL', finishedAt: at, updatedAt: at })
  if (d.rollbackOf) Object.assign(d.rollbackOf, { status: 'ROLLBACK_SUCCESSFUL', finishedAt: at, updatedAt: at })
  if (!d.tasksStarted) state.startTasks(service, d, d.desiredCount, at)
  // With early success DEFERRED, ECS removes the older tasks after the deployment completed.
  const early = service.spec.earlySuccess
  if (early?.cleanup === 'DEFERRED') {
    for (const old of service.deployments) if (old !== d) old.status = 'ACTIVE'
    d.cleanupAt = at + early.cleanupMs
    state.event(service, at, `has reached a steady state.`)
    return
  }
  // The older deployments drain away and disappear, as `ecs wait services-stable` expects.
  let straggler = service.spec.straggler
  for (const old of service.deployments.filter((o) => o !== d)) {
    for (const t of service.tasks) {
      if (t.startedBy === old.id && t.lastStatus === 'RUNNING') {
        if (straggler) {
          straggler = false
          continue
        }
        Object.assign(t, { lastStatus: 'STOPPED', stoppedAt: at, stoppedReason: `Scaling activity initiated by (deployment ${d.id})` })
      }
    }
  }
  service.deployments = [d]
  state.event(service, at, `has reached a steady state.`)
}

/** Early success DEFERRED: the older deployments' tasks stop after the deployment completed. */
function cleanUp(service: Service, d: Deployment): void {
  const at = d.cleanupAt as number
  d.cleanupAt = undefined
  for (const t of service.tasks) {
    if (t.startedBy !== d.id && t.lastStatus === 'RUNNING') {
      Object.assign(t, { lastStatus: 'STOPPED', stoppedAt: at, stoppedReason: `Scaling activity initiated by (deployment ${d.id})` })
    }
  }
  service.deployments = [d]
}

function failTasks(state: EcsState, service: Service, d: Deployment, until: number): void {
  const every = Math.max(1, d.durationMs / 3)
  const due = Math.min(MAX_FAILED_TASKS, Math.floor((until - d.createdAt) / every))
  while (d.failedTasks < due) {
    d.failedTasks++
    const at = d.createdAt + d.failedTasks * every
    state.startTasks(service, d, 1, at - Math.min(every / 2, 500))
    Object.assign(service.tasks[service.tasks.length - 1], {
      lastStatus: 'STOPPED',
      stoppedAt: at,
      stoppedReason: service.spec.stoppedReason,
      startedAt: undefined
    })
    state.event(service, at, `deployment ${d.id} task failed to start: ${service.spec.stoppedReason}`)
  }
}

/** The deployment failed as its outcome says; ECS starts a deployment of the previous revision. */
function rollBack(state: EcsState, service: Service, d: Deployment, at: number): void {
  const usual = failureOf(d, service.spec)
  if (!usual) throw new Error(`outcome ${d.outcome} rolls back but says no failure`)
  const custom = service.spec.failureReasons
  const why = {
    ...usual,
    rolloutStateReason: custom.rolloutState ?? usual.rolloutStateReason,
    event: custom.event ?? usual.event,
    statusReason: custom.serviceDeployment ?? usual.statusReason
  }
  d.rolloutState = 'FAILED'
  d.rolloutStateReason = why.rolloutStateReason
  d.status = 'ACTIVE'
  d.updatedAt = at
  state.event(service, at, `deployment ${d.id} deployment failed: ${why.event}`)
  if (d.record) {
    Object.assign(d.record, {
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: why.statusReason,
      updatedAt: at,
      rollback: { reason: why.rollbackReason, startedAt: at, serviceRevisionArn: d.record.sourceRevisionArns[0] },
      triggeredAlarms: why.trigger === 'alarm' ? service.spec.alarms.slice(0, 1) : undefined,
      failedHook: why.trigger === 'hook'
    })
  }
  const region = service.arn.split(':')[3]
  const rollback = state.newDeployment(service, region, at, 'complete', d.durationMs, d.record)
  service.deployments.unshift(rollback)
  for (const other of service.deployments) if (other !== rollback && other.status === 'PRIMARY') other.status = 'ACTIVE'
  state.event(service, at, `rolling back to deployment ${rollback.id}.`)
}

/** Why a deployment failed, if its outcome is one that fails. */
export function failureOf(d: Deployment, spec: ServiceSpec): Failure | undefined {
  return OUTCOMES[d.outcome].failure?.(spec)
}

/** deploymentConfiguration as DescribeServices shows it for the ECS controller. */
export function deploymentConfigurationOf(spec: ServiceSpec) {
  const minutes = (ms: number) => Math.round(ms / 60_000)
  return {
    deploymentCircuitBreaker: { enable: true, rollback: true },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    strategy: spec.strategy,
    ...(spec.earlySuccess
      ? {
          earlySuccessCriteria: {
            enable: true,
            healthyPercent: spec.earlySuccess.healthyPercent,
            sourceServiceRevisionCleanup: spec.earlySuccess.cleanup
          }
        }
      : {}),
    ...(spec.strategy === 'ROLLING' ? {} : { bakeTimeInMinutes: minutes(spec.bakeTimeMs) }),
    ...(spec.alarms.length ? { alarms: { alarmNames: spec.alarms, enable: true, rollback: true } } : {}),
    ...(spec.lifecycleHooks.length
      ? {
          lifecycleHooks: spec.lifecycleHooks.map((h, i) => ({
            targetType: h.targetType,
            hookTargetArn: h.targetType === 'AWS_LAMBDA' ? `arn:aws:lambda:eu-west-1:123456789012:function:hook-${i}` : undefined,
            lifecycleStages: [h.stage]
          }))
        }
      : {}),
    ...(spec.strategy === 'LINEAR' ? { linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 6 } } : {}),
    ...(spec.strategy === 'CANARY' ? { canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } } : {})
  }
}
