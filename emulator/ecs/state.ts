import { AwsError } from '../aws-error.js'
import { randomHex, seededRandom } from '../random.js'
import type { Scenario, ServiceSpec } from '../scenario.js'

// The state of the ECS model and the few steps every behaviour family shares (a new deployment,
// tasks starting, an event). Nothing here decides how a deployment goes: that is deployments.ts.

export type Outcome = ServiceSpec['outcome']

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

type RecordStatus =
  'PENDING' | 'IN_PROGRESS' | 'SUCCESSFUL' | 'STOPPED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED'

/** ECS's service-deployment record of one deployment (ListServiceDeployments, DescribeServiceDeployments). */
export interface DeploymentRecord {
  arn: string
  /** The service revision it deploys, and the one it replaces. */
  revisionArn: string
  sourceRevisionArns: string[]
  deployment: Deployment
  createdAt: number
  updatedAt: number
  status: RecordStatus
  statusReason?: string
  finishedAt?: number
  stoppedAt?: number
  rollback?: { reason: string; startedAt: number; serviceRevisionArn?: string }
  triggeredAlarms?: string[]
  failedHook?: boolean
}

export interface Task {
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

export interface Cluster {
  arn: string
  name: string
  region: string
  /** Only credentials of this account see the cluster: ECS resources are never shared across accounts. */
  account: string
  services: Service[]
}

/** A forced deployment's timeline: when it completed, and when a client first saw that. */
export interface Rollout {
  service: string
  cluster: string
  deploymentId: string
  createdAt: number
  completedAt?: number
  firstSeenCompletedAt?: number
}

export const seconds = (ms: number) => ms / 1000

/** A page of `items` from a nextToken (the offset, base64), and the token of the next page. */
export function page<T>(items: T[], token: unknown, max: number): { items: T[]; nextToken?: string } {
  const start = token ? Number(Buffer.from(String(token), 'base64').toString()) : 0
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined
  return { items: items.slice(start, start + max), nextToken: next }
}

/** The clusters, services, tasks and deployments of every account and region the scenario has. */
export class EcsState {
  readonly clusters: Cluster[] = []
  /** Every forced deployment, for measuring how soon clients notice the end of a rollout. */
  readonly rollouts: Rollout[] = []
  private readonly random: () => number

  constructor(
    readonly scenario: Scenario,
    readonly now: () => number = Date.now
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

  taskDefinitionArn(taskDefinition: string, region: string, account = this.scenario.account): string {
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
  newDeployment(
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

  startTasks(service: Service, deployment: Deployment, count: number, at: number): void {
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

  event(service: Service, at: number, message: string): void {
    service.events.unshift({ id: randomHex(this.random, 8), createdAt: at, message: `(service ${service.name}) ${message}` })
    service.events.length = Math.min(service.events.length, 100)
  }

  /** A cluster the caller's account owns, by name (in the region called) or ARN; another account's is not found, as in ECS. */
  cluster(value: unknown, region: string, account: string): Cluster {
    const id = String(value ?? 'default')
    const cluster = this.clusters.find((c) => c.account === account && ((c.name === id && c.region === region) || c.arn === id))
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
    return cluster
  }

  service(cluster: Cluster, value: unknown): Service | undefined {
    const id = String(value ?? '')
    return cluster.services.find((s) => s.name === id || s.arn === id)
  }

  /** Every service of every cluster, in every account and region. */
  allServices(): Service[] {
    return this.clusters.flatMap((c) => c.services)
  }
}
