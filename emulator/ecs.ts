import { AwsError, invalidParameter } from './aws-error.js'
import { randomHex, seededRandom } from './random.js'
import type { Scenario, ServiceSpec } from './scenario.js'
import { describeServiceDeployments, listServiceDeployments, type DeploymentRecord } from './service-deployments.js'

type Outcome = ServiceSpec['outcome']

export interface Deployment {
  id: string
  status: 'PRIMARY' | 'ACTIVE'
  taskDefinition: string
  desiredCount: number
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'
  rolloutStateReason?: string
  createdAt: number
  updatedAt: number
  /** How this deployment ends, and when (ms after createdAt). */
  outcome: Outcome
  durationMs: number
  failedTasks: number
  /** The service-deployment record (ListServiceDeployments); a rollback belongs to the record it undoes. */
  record?: DeploymentRecord
  /** For the deployment ECS starts to roll back a failed one: the record of the failed one. */
  rollbackOf?: DeploymentRecord
  /** Blue/green, linear, canary: the new (green) tasks run from the traffic shift, through the bake time. */
  tasksStarted?: boolean
  /** Early success DEFERRED: when the older deployments' tasks are removed. */
  cleanupAt?: number
}

interface Task {
  arn: string
  startedBy: string
  taskDefinitionArn: string
  lastStatus: 'RUNNING' | 'STOPPED'
  startedAt?: number
  stoppedAt?: number
  stoppedReason?: string
}

export interface Service {
  arn: string
  name: string
  clusterArn: string
  spec: ServiceSpec
  status: string
  deployments: Deployment[]
  events: { id: string; createdAt: number; message: string }[]
  tasks: Task[]
  createdAt: number
  /** Every service deployment, newest first (records outlive the deployments[] entries). */
  records: DeploymentRecord[]
}

interface Cluster {
  arn: string
  name: string
  region: string
  /** Only credentials of this account see the cluster: ECS resources are never shared across accounts. */
  account: string
  services: Service[]
}

type Input = Record<string, unknown>
const seconds = (ms: number) => ms / 1000
const MAX_FAILED_TASKS = 6

/** A forced deployment's timeline: when it completed, and when a client first saw that. */
export interface Rollout {
  service: string
  cluster: string
  deploymentId: string
  createdAt: number
  completedAt?: number
  firstSeenCompletedAt?: number
}

/** ECS as the action relies on it: services whose forced deployments roll out over time. */
export class EcsModel {
  readonly clusters: Cluster[] = []
  /** Every forced deployment, for measuring how soon clients notice the end of a rollout. */
  readonly rollouts: Rollout[] = []
  private readonly random: () => number

  constructor(
    private readonly scenario: Scenario,
    private readonly now: () => number = Date.now
  ) {
    this.random = seededRandom(scenario.seed * 104729)
    for (const spec of scenario.clusters) {
      const region = spec.region ?? scenario.region
      const account = spec.account ?? scenario.account
      const arn = `arn:aws:ecs:${region}:${account}:cluster/${spec.name}`
      const cluster: Cluster = { arn, name: spec.name, region, account, services: [] }
      for (const s of spec.services) cluster.services.push(this.createService(cluster, s))
      this.clusters.push(cluster)
    }
  }

  private taskDefinitionArn(taskDefinition: string, region: string, account = this.scenario.account): string {
    return taskDefinition.startsWith('arn:') ? taskDefinition : `arn:aws:ecs:${region}:${account}:task-definition/${taskDefinition}`
  }

  private createService(cluster: Cluster, spec: ServiceSpec): Service {
    const at = this.now() - 3600_000
    const service: Service = {
      arn: `arn:aws:ecs:${cluster.region}:${cluster.account}:service/${cluster.name}/${spec.name}`,
      name: spec.name,
      clusterArn: cluster.arn,
      spec,
      status: spec.status,
      deployments: [],
      events: [],
      tasks: [],
      createdAt: at,
      records: []
    }
    // The deployment running now took as long as a forced one will (its createdAt -> updatedAt
    // is how a client can tell how long the next one should take).
    const initial = this.newDeployment(service, cluster.region, at, 'complete', 0)
    initial.rolloutState = 'COMPLETED'
    initial.updatedAt = at + spec.deploymentMs
    if (initial.record) Object.assign(initial.record, { status: 'SUCCESSFUL', finishedAt: initial.updatedAt })
    service.deployments.push(initial)
    this.startTasks(service, initial, spec.desiredCount, at)
    if (spec.deploymentInProgress) {
      // Someone else's rollout, started a minute ago, still under way.
      const theirs = this.newDeployment(service, cluster.region, this.now() - 60_000, 'complete', 60_000 + spec.deploymentMs)
      initial.status = 'ACTIVE'
      service.deployments.unshift(theirs)
    }
    return service
  }

  private digits(): string {
    return Array.from({ length: 19 }, (_, i) => Math.floor(this.random() * (i ? 10 : 9)) + (i ? 0 : 1)).join('')
  }

  /**
   * A new deployment, PRIMARY. Unless it rolls a failed one back, it opens a service-deployment
   * record (ECS controller only: CodeDeploy and external task sets have none).
   */
  private newDeployment(
    service: Service,
    region: string,
    at: number,
    outcome: Outcome,
    durationMs: number,
    rollbackOf?: DeploymentRecord
  ): Deployment {
    const d: Deployment = {
      id: `ecs-svc/${this.digits()}`,
      status: 'PRIMARY',
      taskDefinition: this.taskDefinitionArn(service.spec.taskDefinition, region, service.arn.split(':')[4]),
      desiredCount: service.spec.desiredCount,
      rolloutState: 'IN_PROGRESS',
      createdAt: at,
      updatedAt: at,
      outcome,
      durationMs,
      failedTasks: 0,
      rollbackOf
    }
    if (!rollbackOf && service.spec.deploymentController === 'ECS') {
      const [, , , , account, rest] = service.arn.split(':')
      const path = rest.replace(/^service\//, '')
      d.record = {
        arn: `arn:aws:ecs:${region}:${account}:service-deployment/${path}/${randomHex(this.random, 22)}`,
        revisionArn: `arn:aws:ecs:${region}:${account}:service-revision/${path}/${this.digits()}`,
        sourceRevisionArns: service.records
          .filter((r) => r.status === 'SUCCESSFUL')
          .map((r) => r.revisionArn)
          .slice(0, 1),
        deployment: d,
        createdAt: at,
        status: 'IN_PROGRESS',
        updatedAt: at
      }
      service.records.unshift(d.record)
    }
    return d
  }

  private startTasks(service: Service, deployment: Deployment, count: number, at: number): void {
    for (let i = 0; i < count; i++) {
      service.tasks.push({
        arn: `${service.clusterArn.replace(':cluster/', ':task/')}/${randomHex(this.random, 32)}`,
        startedBy: deployment.id,
        taskDefinitionArn: deployment.taskDefinition,
        lastStatus: 'RUNNING',
        startedAt: at
      })
    }
  }

  private event(service: Service, at: number, message: string): void {
    service.events.unshift({ id: randomHex(this.random, 8), createdAt: at, message: `(service ${service.name}) ${message}` })
    service.events.length = Math.min(service.events.length, 100)
  }

  /**
   * Applies, in time order, everything that has happened to a service's deployments by now.
   * A deployment's new tasks are up and (blue/green, linear, canary) take all production traffic
   * `durationMs` after it starts; the bake time follows, then it completes.
   */
  private advance(service: Service): void {
    const now = this.now()
    for (const d of [...service.deployments]) {
      if (d.cleanupAt !== undefined && now >= d.cleanupAt) this.cleanUp(service, d)
      // Only the PRIMARY deployment rolls out; a superseded one is drained when the PRIMARY completes.
      if (d.rolloutState !== 'IN_PROGRESS' || d.status !== 'PRIMARY') continue
      const shiftedAt = d.createdAt + d.durationMs
      const doneAt = shiftedAt + bakeTimeOf(service.spec)
      switch (d.outcome) {
        case 'complete':
          if (now >= shiftedAt && bakeTimeOf(service.spec) > 0 && !d.tasksStarted) {
            this.startTasks(service, d, d.desiredCount, shiftedAt)
            d.tasksStarted = true
          }
          if (now >= doneAt) this.complete(service, d, doneAt)
          break
        case 'circuit-breaker':
          this.failTasks(service, d, Math.min(now, shiftedAt))
          if (now >= shiftedAt) this.rollBack(service, d, shiftedAt, 'circuit-breaker')
          break
        case 'stuck':
          this.failTasks(service, d, Math.min(now, shiftedAt))
          break
        case 'alarm':
          if (now >= shiftedAt) this.rollBack(service, d, shiftedAt, 'alarm')
          break
        case 'hook-fails': {
          const failAt = d.createdAt + d.durationMs / 2
          if (now >= failAt) this.rollBack(service, d, failAt, 'hook')
          break
        }
        case 'paused':
          // Waits at its first lifecycle hook for a ContinueServiceDeployment nobody sends.
          break
      }
    }
  }

  private complete(service: Service, d: Deployment, at: number): void {
    const rollout = this.rollouts.find((r) => r.deploymentId === d.id)
    if (rollout) rollout.completedAt = at
    d.rolloutState = 'COMPLETED'
    d.updatedAt = at
    if (d.record) Object.assign(d.record, { status: 'SUCCESSFUL', finishedAt: at, updatedAt: at })
    if (d.rollbackOf) Object.assign(d.rollbackOf, { status: 'ROLLBACK_SUCCESSFUL', finishedAt: at, updatedAt: at })
    if (!d.tasksStarted) this.startTasks(service, d, d.desiredCount, at)
    // With early success DEFERRED, ECS removes the older tasks after the deployment completed.
    const early = service.spec.earlySuccess
    if (early?.cleanup === 'DEFERRED') {
      for (const old of service.deployments) if (old !== d) old.status = 'ACTIVE'
      d.cleanupAt = at + early.cleanupMs
      this.event(service, at, `has reached a steady state.`)
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
    this.event(service, at, `has reached a steady state.`)
  }

  /** Early success DEFERRED: the older deployments' tasks stop after the deployment completed. */
  private cleanUp(service: Service, d: Deployment): void {
    const at = d.cleanupAt as number
    d.cleanupAt = undefined
    for (const t of service.tasks) {
      if (t.startedBy !== d.id && t.lastStatus === 'RUNNING') {
        Object.assign(t, { lastStatus: 'STOPPED', stoppedAt: at, stoppedReason: `Scaling activity initiated by (deployment ${d.id})` })
      }
    }
    service.deployments = [d]
  }

  private failTasks(service: Service, d: Deployment, until: number): void {
    const every = Math.max(1, d.durationMs / 3)
    const due = Math.min(MAX_FAILED_TASKS, Math.floor((until - d.createdAt) / every))
    while (d.failedTasks < due) {
      d.failedTasks++
      const at = d.createdAt + d.failedTasks * every
      this.startTasks(service, d, 1, at - Math.min(every / 2, 500))
      Object.assign(service.tasks[service.tasks.length - 1], {
        lastStatus: 'STOPPED',
        stoppedAt: at,
        stoppedReason: service.spec.stoppedReason,
        startedAt: undefined
      })
      this.event(service, at, `deployment ${d.id} task failed to start: ${service.spec.stoppedReason}`)
    }
  }

  private rollBack(service: Service, d: Deployment, at: number, cause: 'circuit-breaker' | 'alarm' | 'hook'): void {
    const custom = service.spec.failureReasons
    const usual = FAILURES[cause](service.spec)
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
    this.event(service, at, `deployment ${d.id} deployment failed: ${why.event}`)
    if (d.record) {
      Object.assign(d.record, {
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason: why.statusReason,
        updatedAt: at,
        rollback: { reason: why.rollbackReason, startedAt: at, serviceRevisionArn: d.record.sourceRevisionArns[0] },
        triggeredAlarms: cause === 'alarm' ? service.spec.alarms.slice(0, 1) : undefined,
        failedHook: cause === 'hook'
      })
    }
    const region = service.arn.split(':')[3]
    const rollback = this.newDeployment(service, region, at, 'complete', d.durationMs, d.record)
    service.deployments.unshift(rollback)
    for (const other of service.deployments) if (other !== rollback && other.status === 'PRIMARY') other.status = 'ACTIVE'
    this.event(service, at, `rolling back to deployment ${rollback.id}.`)
  }

  /** A cluster the caller's account owns, by name (in the region called) or ARN; another account's is not found, as in ECS. */
  private cluster(value: unknown, region: string, account: string): Cluster {
    const id = String(value ?? 'default')
    const cluster = this.clusters.find((c) => c.account === account && ((c.name === id && c.region === region) || c.arn === id))
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
    return cluster
  }

  private service(cluster: Cluster, value: unknown): Service | undefined {
    const id = String(value ?? '')
    return cluster.services.find((s) => s.name === id || s.arn === id)
  }

  /** A service's state, advanced to now, for tests and the demo. */
  serviceState(clusterName: string, serviceName: string): Service | undefined {
    const service = this.clusters.find((c) => c.name === clusterName)?.services.find((s) => s.name === serviceName)
    if (service) this.advance(service)
    return service
  }

  private find(place: { region: string; account: string }, clusterName: string, serviceName: string): Service | undefined {
    const cluster = this.clusters.find((c) => c.region === place.region && c.account === place.account && c.name === clusterName)
    const service = cluster?.services.find((s) => s.name === serviceName)
    if (service) this.advance(service)
    return service
  }

  /** For CodeDeploy: the task definition a service runs, and the container its load balancer targets. */
  codeDeployTarget(place: { region: string; account: string }, clusterName: string, serviceName: string) {
    const service = this.find(place, clusterName, serviceName)
    if (!service) return undefined
    const primary = service.deployments.find((d) => d.status === 'PRIMARY')
    return { taskDefinition: primary?.taskDefinition, container: service.spec.container }
  }

  /** A CodeDeploy deployment succeeded: its replacement task set becomes the service's only one. */
  replaceTaskSet(place: { region: string; account: string }, clusterName: string, serviceName: string, at: number): void {
    const service = this.find(place, clusterName, serviceName)
    if (!service) return
    const d = this.newDeployment(service, place.region, at, 'complete', 0)
    for (const other of service.deployments) other.status = 'ACTIVE'
    service.deployments.unshift(d)
    this.complete(service, d, at)
  }

  handle(operation: string, input: Input, region: string, account = this.scenario.account): unknown {
    switch (operation) {
      case 'DescribeServices':
        return this.describeServices(input, region, account)
      case 'UpdateService':
        return this.updateService(input, region, account)
      case 'ListServices':
        return this.listServices(input, region, account)
      case 'ListTasks':
        return this.listTasks(input, region, account)
      case 'DescribeTasks':
        return this.describeTasks(input, region, account)
      case 'DescribeTaskDefinition':
        return this.describeTaskDefinition(input, region, account)
      case 'DescribeClusters':
        return this.describeClusters(input, region, account)
      case 'ListServiceDeployments': {
        const service = this.service(this.cluster(input.cluster, region, account), input.service)
        if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
        this.advance(service)
        return listServiceDeployments(service, input, this.now())
      }
      case 'DescribeServiceDeployments': {
        const services = this.clusters.filter((c) => c.region === region && c.account === account).flatMap((c) => c.services)
        for (const s of services) this.advance(s)
        return describeServiceDeployments(services, input, this.now())
      }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by this endpoint`)
    }
  }

  private describeServices(input: Input, region: string, account: string) {
    const names = (input.services as string[] | undefined) ?? []
    if (names.length === 0 || names.length > 10) {
      throw invalidParameter('services can have at most 10 items and must not be empty.')
    }
    const cluster = this.cluster(input.cluster, region, account)
    const services: unknown[] = []
    const failures: unknown[] = []
    for (const name of names) {
      const service = this.service(cluster, name)
      if (!service) {
        failures.push({
          arn: name.startsWith('arn:') ? name : `arn:aws:ecs:${region}:${cluster.account}:service/${cluster.name}/${name}`,
          reason: 'MISSING'
        })
        continue
      }
      this.advance(service)
      for (const d of service.deployments) {
        const rollout = d.rolloutState === 'COMPLETED' ? this.rollouts.find((r) => r.deploymentId === d.id) : undefined
        if (rollout && rollout.firstSeenCompletedAt === undefined) rollout.firstSeenCompletedAt = this.now()
      }
      services.push(this.render(service))
    }
    return { services, failures }
  }

  private render(service: Service) {
    const running = (d: Deployment) => service.tasks.filter((t) => t.startedBy === d.id && t.lastStatus === 'RUNNING').length
    const now = this.now()
    const spec = service.spec
    // Behind a Classic Load Balancer ECS reports no rolloutState (nor its reason).
    const classic = spec.loadBalancer === 'classic'
    const deployments = service.deployments.map((d) => {
      // A rollout in progress shows tasks coming up in proportion to its elapsed time.
      // (failing ones never get a task running), short of full until it completes.
      const progress = Math.min(1, (now - d.createdAt) / Math.max(1, d.durationMs))
      const rampUp = d.outcome === 'complete' ? Math.floor(progress * d.desiredCount * 0.99) : 0
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

  private updateService(input: Input, region: string, account: string) {
    const cluster = this.cluster(input.cluster, region, account)
    const service = this.service(cluster, input.service)
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
    this.advance(service)
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
      const now = this.now()
      const d = this.newDeployment(service, cluster.region, now, service.spec.outcome, service.spec.deploymentMs)
      // A deployment still rolling out is superseded by this one.
      for (const record of service.records.slice(1)) {
        if (record.status === 'IN_PROGRESS')
          Object.assign(record, { status: 'STOPPED', stoppedAt: now, updatedAt: now, statusReason: 'Superseded by a new deployment.' })
      }
      for (const other of service.deployments) other.status = 'ACTIVE'
      service.deployments.unshift(d)
      this.rollouts.push({ service: service.name, cluster: cluster.name, deploymentId: d.id, createdAt: d.createdAt })
      this.event(service, this.now(), `has started a new deployment ${d.id}.`)
    }
    return { service: this.render(service) }
  }

  private listServices(input: Input, region: string, account: string) {
    const cluster = this.cluster(input.cluster, region, account)
    const max = Math.min(100, Number(input.maxResults ?? 10))
    const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : 0
    const page = cluster.services.slice(start, start + max).map((s) => s.arn)
    const next = start + max < cluster.services.length ? Buffer.from(String(start + max)).toString('base64') : undefined
    return { serviceArns: page, nextToken: next }
  }

  private listTasks(input: Input, region: string, account: string) {
    const cluster = this.cluster(input.cluster, region, account)
    const desired = String(input.desiredStatus ?? 'RUNNING')
    const services = input.serviceName ? [this.service(cluster, input.serviceName)].filter(Boolean) : cluster.services
    if (input.serviceName && services.length === 0) throw new AwsError('ServiceNotFoundException', 'Service not found.')
    const arns: string[] = []
    for (const s of services as Service[]) {
      this.advance(s)
      for (const t of s.tasks) if ((desired === 'STOPPED') === (t.lastStatus === 'STOPPED')) arns.push(t.arn)
    }
    // Pages of up to maxResults (100 at most), the rest behind a nextToken, as ECS answers.
    const max = Math.min(100, Number(input.maxResults ?? 100))
    const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : 0
    const next = start + max < arns.length ? Buffer.from(String(start + max)).toString('base64') : undefined
    return { taskArns: arns.slice(start, start + max), nextToken: next }
  }

  private describeTasks(input: Input, region: string, account: string) {
    const cluster = this.cluster(input.cluster, region, account)
    const wanted = (input.tasks as string[] | undefined) ?? []
    if (wanted.length === 0 || wanted.length > 100) throw invalidParameter('tasks can have at most 100 items and must not be empty.')
    const all = cluster.services.flatMap((s) => s.tasks.map((t) => ({ t, s })))
    const tasks: unknown[] = []
    const failures: unknown[] = []
    for (const id of wanted) {
      const found = all.find(({ t }) => t.arn === id || t.arn.endsWith(`/${id}`))
      if (!found) failures.push({ arn: id, reason: 'MISSING' })
      else
        tasks.push({
          taskArn: found.t.arn,
          clusterArn: cluster.arn,
          group: `service:${found.s.name}`,
          startedBy: found.t.startedBy,
          taskDefinitionArn: found.t.taskDefinitionArn,
          lastStatus: found.t.lastStatus,
          desiredStatus: found.t.lastStatus,
          startedAt: found.t.startedAt === undefined ? undefined : seconds(found.t.startedAt),
          stoppedAt: found.t.stoppedAt === undefined ? undefined : seconds(found.t.stoppedAt),
          stoppedReason: found.t.stoppedReason,
          launchType: 'FARGATE'
        })
    }
    return { tasks, failures }
  }

  private describeTaskDefinition(input: Input, region: string, account: string) {
    const id = String(input.taskDefinition ?? '')
    const familyRevision = id.startsWith('arn:') ? id.split('task-definition/')[1] : id
    const [family, revision] = familyRevision.split(':')
    const matching = this.scenario.taskDefinitions.filter((t) => t.family === family)
    const td = revision ? matching.find((t) => t.revision === Number(revision)) : matching.sort((a, b) => b.revision - a.revision)[0]
    if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.')
    return {
      taskDefinition: {
        taskDefinitionArn: this.taskDefinitionArn(`${td.family}:${td.revision}`, region, account),
        family: td.family,
        revision: td.revision,
        status: 'ACTIVE',
        containerDefinitions: td.containers.map((c) => ({
          name: c.name,
          secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
          logConfiguration:
            c.logSecrets.length > 0
              ? { logDriver: 'splunk', options: {}, secretOptions: c.logSecrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) }
              : undefined,
          repositoryCredentials: c.repositoryCredentials ? { credentialsParameter: c.repositoryCredentials } : undefined
        }))
      }
    }
  }

  private describeClusters(input: Input, region: string, account: string) {
    const ids = (input.clusters as string[] | undefined) ?? ['default']
    const clusters: unknown[] = []
    const failures: unknown[] = []
    for (const id of ids) {
      const c = this.clusters.find((x) => x.account === account && ((x.name === id && x.region === region) || x.arn === id))
      if (c) clusters.push({ clusterArn: c.arn, clusterName: c.name, status: 'ACTIVE', activeServicesCount: c.services.length })
      else failures.push({ arn: id, reason: 'MISSING' })
    }
    return { clusters, failures }
  }
}

/** Bake time applies to ECS's own blue/green, linear and canary strategies. */
export function bakeTimeOf(spec: ServiceSpec): number {
  return spec.deploymentController === 'ECS' && spec.strategy !== 'ROLLING' ? spec.bakeTimeMs : 0
}

/** What ECS says about a deployment that failed, per cause. */
const FAILURES = {
  'circuit-breaker': () => ({
    rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    event: 'tasks failed to start.',
    statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
    rollbackReason: 'Circuit breaker triggered a rollback.'
  }),
  alarm: (spec: ServiceSpec) => ({
    rolloutStateReason: `ECS deployment failed: alarm(s) ${spec.alarms[0] ?? '?'} are in ALARM state.`,
    event: `alarm(s) ${spec.alarms[0] ?? '?'} are in ALARM state.`,
    statusReason: `CloudWatch alarm(s) ${spec.alarms[0] ?? '?'} in ALARM state.`,
    rollbackReason: 'CloudWatch alarm triggered a rollback.'
  }),
  hook: (spec: ServiceSpec) => ({
    rolloutStateReason: `ECS deployment failed: lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
    event: `lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
    statusReason: `Lifecycle hook at ${spec.lifecycleHooks[0]?.stage ?? '?'} returned FAILED.`,
    rollbackReason: 'Lifecycle hook failure triggered a rollback.'
  })
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
