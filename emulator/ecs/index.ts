import { dispatch, type AwsModel, type Call, type Input, type Operation } from '../operations.js'
import { advanceService, complete } from './deployments.js'
import { SERVICE_DEPLOYMENT_OPERATIONS } from './service-deployments.js'
import { SERVICE_OPERATIONS } from './services.js'
import { EcsState, type Service } from './state.js'
import { TASK_DEFINITION_OPERATIONS } from './task-definitions.js'
import { TASK_OPERATIONS } from './tasks.js'

export type { Deployment, DeploymentRecord, Rollout, Service } from './state.js'

/** Every ECS operation the emulator answers, from each behaviour family's own table. */
export const ECS_OPERATIONS: readonly Operation<EcsState>[] = [
  ...SERVICE_OPERATIONS,
  ...TASK_OPERATIONS,
  ...TASK_DEFINITION_OPERATIONS,
  ...SERVICE_DEPLOYMENT_OPERATIONS
]

/** ECS as the action relies on it: services whose forced deployments roll out over time. */
export class EcsModel extends EcsState implements AwsModel {
  readonly operations = ECS_OPERATIONS

  /** Brings every service's deployments to `now`: the router calls it once before each ECS call. */
  advance(now: number = this.now()): void {
    for (const service of this.allServices()) advanceService(this, service, now)
  }

  handle(operation: string, input: Input, call: Call): unknown {
    return dispatch<EcsState>(this, this.operations, operation, input, call)
  }

  /** A service's state, advanced to now, for tests and the demo. */
  serviceState(clusterName: string, serviceName: string): Service | undefined {
    const service = this.clusters.find((c) => c.name === clusterName)?.services.find((s) => s.name === serviceName)
    if (service) advanceService(this, service, this.now())
    return service
  }

  private find(place: Call, clusterName: string, serviceName: string): Service | undefined {
    const cluster = this.clusters.find((c) => c.region === place.region && c.account === place.account && c.name === clusterName)
    const service = cluster?.services.find((s) => s.name === serviceName)
    if (service) advanceService(this, service, this.now())
    return service
  }

  /** For CodeDeploy: the task definition a service runs, and the container its load balancer targets. */
  codeDeployTarget(place: Call, clusterName: string, serviceName: string) {
    const service = this.find(place, clusterName, serviceName)
    if (!service) return undefined
    const primary = service.deployments.find((d) => d.status === 'PRIMARY')
    return { taskDefinition: primary?.taskDefinition, container: service.spec.container }
  }

  /** A CodeDeploy deployment succeeded: its replacement task set becomes the service's only one. */
  replaceTaskSet(place: Call, clusterName: string, serviceName: string, at: number): void {
    const service = this.find(place, clusterName, serviceName)
    if (!service) return
    const d = this.newDeployment(service, place.region, at, 'complete', 0)
    for (const other of service.deployments) other.status = 'ACTIVE'
    service.deployments.unshift(d)
    complete(this, service, d, at)
  }
}
