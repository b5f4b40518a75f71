import { AwsError, invalidParameter } from '../aws-error.js'
import type { Call, Input, Operation } from '../operations.js'
import { deploymentConfigurationOf, OUTCOMES } from './deployments.js'
import { page, seconds, type Deployment, type EcsState, type Service } from './state.js'

// Clusters and services: DescribeClusters, ListServices, DescribeServices, and UpdateService's
// forced new deployment (how it then rolls out is deployments.ts).

export const SERVICE_OPERATIONS: Operation<EcsState>[] = [
  { name: 'DescribeClusters', write: false, handler: describeClusters },
  { name: 'ListServices', write: false, handler: listServices },
  { name: 'DescribeServices', write: false, handler: describeServices },
  { name: 'UpdateService', write: true, handler: updateService }
]

function describeClusters(state: EcsState, input: Input, { region, account }: Call) {
  const ids = (input.clusters as string[] | undefined) ?? ['default']
  const clusters: unknown[] = []
  const failures: unknown[] = []
  for (const id of ids) {
    const c = state.clusters.find((x) => x.account === account && ((x.name === id && x.region === region) || x.arn === id))
    if (c) clusters.push({ clusterArn: c.arn, clusterName: c.name, status: 'ACTIVE', activeServicesCount: c.services.length })
    else failures.push({ arn: id, reason: 'MISSING' })
  }
  return { clusters, failures }
}

function listServices(state: EcsState, input: Input, { region, account }: Call) {
  const cluster = state.cluster(input.cluster, region, account)
  const max = Math.min(100, Number(input.maxResults ?? 10))
  const { items, nextToken } = page(cluster.services, input.nextToken, max)
  return { serviceArns: items.map((s) => s.arn), nextToken }
}

function describeServices(state: EcsState, input: Input, { region, account }: Call) {
  const names = (input.services as string[] | undefined) ?? []
  if (names.length === 0 || names.length > 10) {
    throw invalidParameter('services can have at most 10 items and must not be empty.')
  }
  const cluster = state.cluster(input.cluster, region, account)
  const services: unknown[] = []
  const failures: unknown[] = []
  for (const name of names) {
    const service = state.service(cluster, name)
    if (!service) {
      failures.push({
        arn: name.startsWith('arn:') ? name : `arn:aws:ecs:${region}:${cluster.account}:service/${cluster.name}/${name}`,
        reason: 'MISSING'
      })
      continue
    }
    for (const d of service.deployments) {
      const rollout = d.rolloutState === 'COMPLETED' ? state.rollouts.find((r) => r.deploymentId === d.id) : undefined
      if (rollout && rollout.firstSeenCompletedAt === undefined) rollout.firstSeenCompletedAt = state.now()
    }
    services.push(render(state, service))
  }
  return { services, failures }
}

function updateService(state: EcsState, input: Input, { region, account }: Call) {
  const cluster = state.cluster(input.cluster, region, account)
  const service = state.service(cluster, input.service)
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
  if (input.forceNewDeployment) {
    const controller = service.spec.deploymentController
    if (controller === 'CODE_DEPLOY') {
      throw invalidParameter(
        'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
      )
    }
    // Modelled on the CODE_DEPLOY answer: task sets of an EXTERNAL service belong to another tool.
    if (controller === 'EXTERNAL') {
      throw invalidParameter(
        'Cannot force a new deployment on services with a EXTERNAL deployment controller. Use CreateTaskSet to trigger a new deployment.'
      )
    }
    const now = state.now()
    const d = state.newDeployment(service, cluster.region, now, service.spec.outcome, service.spec.deploymentMs)
    // A deployment still rolling out is superseded by this one.
    for (const record of service.records.slice(1)) {
      if (record.status === 'IN_PROGRESS')
        Object.assign(record, { status: 'STOPPED', stoppedAt: now, updatedAt: now, statusReason: 'Superseded by a new deployment.' })
    }
    for (const other of service.deployments) other.status = 'ACTIVE'
    service.deployments.unshift(d)
    state.rollouts.push({ service: service.name, cluster: cluster.name, deploymentId: d.id, createdAt: d.createdAt })
    state.event(service, state.now(), `has started a new deployment ${d.id}.`)
  }
  return { service: render(state, service) }
}

/** A service as DescribeServices and UpdateService show it. */
function render(state: EcsState, service: Service) {
  const running = (d: Deployment) => service.tasks.filter((t) => t.startedBy === d.id && t.lastStatus === 'RUNNING').length
  const now = state.now()
  const spec = service.spec
  // Behind a Classic Load Balancer ECS reports no rolloutState (nor its reason).
  const classic = spec.loadBalancer === 'classic'
  const deployments = service.deployments.map((d) => {
    // A rollout in progress shows tasks coming up in proportion to its elapsed time.
    // (failing ones never get a task running), short of full until it completes.
    const progress = Math.min(1, (now - d.createdAt) / Math.max(1, d.durationMs))
    const rampUp = OUTCOMES[d.outcome].rampsUp ? Math.floor(progress * d.desiredCount * 0.99) : 0
    const runningCount = d.rolloutState === 'IN_PROGRESS' && !d.tasksStarted ? rampUp : running(d)
    return {
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      runningCount,
      pendingCount: d.rolloutState === 'IN_PROGRESS' ? d.desiredCount - runningCount : 0,
      failedTasks: d.failedTasks,
      createdAt: seconds(d.createdAt),
      updatedAt: seconds(d.updatedAt),
      launchType: 'FARGATE',
      rolloutState: classic ? undefined : d.rolloutState,
      rolloutStateReason: classic
        ? undefined
        : (d.rolloutStateReason ?? (d.rolloutState === 'COMPLETED' ? 'ECS deployment completed.' : 'ECS deployment in progress.'))
    }
  })
  // CodeDeploy and external controllers run task sets; deployments[] stays empty.
  const taskSets = spec.deploymentController !== 'ECS'
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    status: service.status,
    desiredCount: service.spec.desiredCount,
    runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
    pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
    launchType: 'FARGATE',
    taskDefinition: deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition,
    deploymentController: { type: spec.deploymentController },
    deploymentConfiguration: taskSets ? { maximumPercent: 200, minimumHealthyPercent: 100 } : deploymentConfigurationOf(spec),
    loadBalancers: loadBalancersOf(service),
    deployments: taskSets ? [] : deployments,
    taskSets: taskSets
      ? deployments.map((d) => ({
          id: d.id,
          taskSetArn: `${service.arn.replace(':service/', ':task-set/')}/${d.id}`,
          serviceArn: service.arn,
          clusterArn: service.clusterArn,
          startedBy: spec.deploymentController === 'CODE_DEPLOY' ? 'CodeDeploy' : undefined,
          status: d.status,
          taskDefinition: d.taskDefinition,
          computedDesiredCount: d.desiredCount,
          runningCount: d.runningCount,
          pendingCount: d.pendingCount,
          createdAt: d.createdAt,
          updatedAt: d.updatedAt,
          launchType: 'FARGATE',
          loadBalancers: loadBalancersOf(service),
          scale: { value: 100, unit: 'PERCENT' },
          stabilityStatus: d.rolloutState === 'COMPLETED' ? 'STEADY_STATE' : 'STABILIZING'
        }))
      : undefined,
    currentServiceDeployment: spec.serviceDeploymentRecords ? service.records[0]?.arn : undefined,
    events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
    createdAt: seconds(service.createdAt)
  }
}

function loadBalancersOf(service: Service) {
  const { loadBalancer, container } = service.spec
  if (loadBalancer === 'none') return []
  const [, , , region, account] = service.arn.split(':')
  return loadBalancer === 'classic'
    ? [{ loadBalancerName: `${service.name}-clb`, containerName: container.name, containerPort: container.port }]
    : [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${service.name}-blue/0123456789abcdef`,
          containerName: container.name,
          containerPort: container.port
        }
      ]
}
