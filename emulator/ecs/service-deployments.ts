import { AwsError, invalidParameter } from '../aws-error.js'
import type { Call, Input, Operation } from '../operations.js'
import { bakeTimeOf, deploymentConfigurationOf, failureOf, OUTCOMES } from './deployments.js'
import { page, type Deployment, type DeploymentRecord, type EcsState, type Service } from './state.js'

// Service deployments: ListServiceDeployments and DescribeServiceDeployments, ECS's record of
// each deployment (its revisions, lifecycle stage, hooks, circuit breaker and alarms).

export const SERVICE_DEPLOYMENT_OPERATIONS: Operation<EcsState>[] = [
  { name: 'ListServiceDeployments', write: false, handler: listServiceDeployments },
  { name: 'DescribeServiceDeployments', write: false, handler: describeServiceDeployments }
]

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000)

/** The stages a blue/green, linear or canary deployment goes through before its bake time. */
const STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT'
] as const

/**
 * Where an in-progress blue/green deployment is: the stages split the time to shift traffic
 * evenly, then BAKE_TIME. A deployment paused at a hook stays at the hook's stage.
 */
function lifecycleStageOf(service: Service, record: DeploymentRecord, now: number): string | undefined {
  const { spec } = service
  if (spec.strategy === 'ROLLING') return undefined
  if (record.status !== 'IN_PROGRESS') return record.status === 'SUCCESSFUL' ? 'CLEAN_UP' : undefined
  const d = record.deployment
  if (OUTCOMES[d.outcome].pausesAtHook && spec.lifecycleHooks[0]) return spec.lifecycleHooks[0].stage
  const shiftedAt = d.createdAt + d.durationMs
  if (now >= shiftedAt) return bakeTimeOf(spec) > 0 ? 'BAKE_TIME' : 'CLEAN_UP'
  const share = (now - d.createdAt) / Math.max(1, d.durationMs)
  return STAGES[Math.min(STAGES.length - 1, Math.floor(share * STAGES.length))]
}

function hookDetails(service: Service, record: DeploymentRecord, now: number) {
  const { spec } = service
  if (!spec.lifecycleHooks.length || spec.strategy === 'ROLLING') return undefined
  const hook = spec.lifecycleHooks[0]
  const d = record.deployment
  const status = OUTCOMES[d.outcome].pausesAtHook
    ? 'AWAITING_ACTION'
    : record.failedHook
      ? 'FAILED'
      : record.status === 'IN_PROGRESS' && now < d.createdAt + d.durationMs
        ? 'IN_PROGRESS'
        : 'SUCCEEDED'
  return [
    {
      hookId: `${hook.stage.toLowerCase()}-hook`,
      targetType: hook.targetType,
      targetArn: hook.targetType === 'AWS_LAMBDA' ? 'arn:aws:lambda:eu-west-1:123456789012:function:hook-0' : undefined,
      status,
      expiresAt: seconds(d.createdAt + 24 * 3600_000),
      timeoutAction: 'ROLLBACK'
    }
  ]
}

function revisionSummary(service: Service, arn: string, deployment: Deployment | undefined) {
  const running = deployment ? service.tasks.filter((t) => t.startedBy === deployment.id && t.lastStatus === 'RUNNING').length : 0
  return { arn, requestedTaskCount: deployment?.desiredCount ?? 0, runningTaskCount: running, pendingTaskCount: 0 }
}

function render(service: Service, record: DeploymentRecord, now: number) {
  const { spec } = service
  const d = record.deployment
  const finished = record.status !== 'IN_PROGRESS' && record.status !== 'ROLLBACK_IN_PROGRESS'
  const threshold = Math.min(200, Math.max(3, Math.ceil(0.5 * d.desiredCount)))
  const breakerTriggered = record.rollback && failureOf(d, spec)?.trigger === 'circuit-breaker'
  return {
    serviceDeploymentArn: record.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: seconds(record.createdAt),
    startedAt: seconds(record.createdAt),
    finishedAt: seconds(record.finishedAt),
    stoppedAt: seconds(record.stoppedAt),
    updatedAt: seconds(record.updatedAt),
    sourceServiceRevisions: record.sourceRevisionArns.map((arn) => revisionSummary(service, arn, undefined)),
    targetServiceRevision: revisionSummary(service, record.revisionArn, d),
    status: record.status,
    statusReason: record.statusReason,
    lifecycleStage: lifecycleStageOf(service, record, now),
    lifecycleHookDetails: hookDetails(service, record, now),
    deploymentConfiguration: deploymentConfigurationOf(spec),
    rollback: record.rollback
      ? {
          reason: record.rollback.reason,
          startedAt: seconds(record.rollback.startedAt),
          serviceRevisionArn: record.rollback.serviceRevisionArn
        }
      : undefined,
    deploymentCircuitBreaker: {
      status: breakerTriggered ? 'TRIGGERED' : finished ? 'MONITORING_COMPLETE' : 'MONITORING',
      failureCount: d.failedTasks,
      threshold
    },
    alarms: spec.alarms.length
      ? {
          status: record.triggeredAlarms?.length ? 'TRIGGERED' : finished ? 'MONITORING_COMPLETE' : 'MONITORING',
          alarmNames: spec.alarms,
          triggeredAlarmNames: record.triggeredAlarms ?? []
        }
      : { status: 'DISABLED' }
  }
}

/** ListServiceDeployments: newest first, filtered by status and createdAt, 20 a page unless asked. */
function listServiceDeployments(state: EcsState, input: Input, { region, account }: Call) {
  const service = state.service(state.cluster(input.cluster, region, account), input.service)
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  const max = Number(input.maxResults ?? 20)
  if (max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100.')
  const statuses = (input.status as string[] | undefined) ?? []
  const createdAt = (input.createdAt as { before?: number; after?: number } | undefined) ?? {}
  const records = (service.spec.serviceDeploymentRecords ? service.records : []).filter(
    (r) =>
      (statuses.length === 0 || statuses.includes(r.status)) &&
      (createdAt.after === undefined || r.createdAt >= createdAt.after * 1000) &&
      (createdAt.before === undefined || r.createdAt <= createdAt.before * 1000)
  )
  const { items, nextToken } = page(records, input.nextToken, max)
  return {
    serviceDeployments: items.map((r) => ({
      serviceDeploymentArn: r.arn,
      serviceArn: service.arn,
      clusterArn: service.clusterArn,
      createdAt: seconds(r.createdAt),
      startedAt: seconds(r.createdAt),
      finishedAt: seconds(r.finishedAt),
      targetServiceRevisionArn: r.revisionArn,
      status: r.status,
      statusReason: r.statusReason
    })),
    nextToken
  }
}

/** DescribeServiceDeployments: up to 20 ARNs of the caller's account and region; unknown ones come back as failures with reason MISSING. */
function describeServiceDeployments(state: EcsState, input: Input, { region, account }: Call) {
  const services = state.clusters.filter((c) => c.region === region && c.account === account).flatMap((c) => c.services)
  const now = state.now()
  const arns = (input.serviceDeploymentArns as string[] | undefined) ?? []
  if (arns.length === 0 || arns.length > 20)
    throw invalidParameter('serviceDeploymentArns can have at most 20 items and must not be empty.')
  const serviceDeployments: unknown[] = []
  const failures: unknown[] = []
  for (const arn of arns) {
    if (!arn.includes(':service-deployment/')) throw new AwsError('InvalidParameterException', `Invalid service deployment ARN: ${arn}`)
    const service = services.find((s) => s.spec.serviceDeploymentRecords && s.records.some((r) => r.arn === arn))
    const record = service?.records.find((r) => r.arn === arn)
    if (service && record) serviceDeployments.push(render(service, record, now))
    else failures.push({ arn, reason: 'MISSING' })
  }
  return { serviceDeployments, failures }
}
