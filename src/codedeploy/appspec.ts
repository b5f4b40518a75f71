import type { Service } from '@aws-sdk/client-ecs'

/** What a redeploy through CodeDeploy keeps from the service as it runs now. */
export interface AppSpecTarget {
  taskDefinition: string
  containerName: string
  containerPort: number
  platformVersion?: string
}

/**
 * The task definition, container and port of a CODE_DEPLOY service, from DescribeServices: the
 * PRIMARY task set's task definition (the service's own field as a fallback) and the load
 * balancer's container. Returns why not, when the service lacks one of them.
 */
export function appSpecTarget(service: Service): AppSpecTarget | { problem: string } {
  const primary = service.taskSets?.find((t) => t.status === 'PRIMARY')
  const taskDefinition = primary?.taskDefinition ?? service.taskDefinition
  const lb = (primary?.loadBalancers ?? service.loadBalancers ?? []).find((l) => l.containerName && l.containerPort)
  if (!taskDefinition) return { problem: 'it has no PRIMARY task set with a task definition' }
  if (!lb?.containerName || !lb.containerPort) return { problem: 'it has no load balancer container and port for a blue/green deployment' }
  return { taskDefinition, containerName: lb.containerName, containerPort: lb.containerPort, platformVersion: primary?.platformVersion }
}

/**
 * The AppSpec (JSON, which CodeDeploy accepts as YAML) of a deployment that replaces the task set
 * with one of the same task definition, as ECS's console does for a CODE_DEPLOY service.
 */
export function appSpecContent(target: AppSpecTarget): string {
  const properties: Record<string, unknown> = {
    TaskDefinition: target.taskDefinition,
    LoadBalancerInfo: { ContainerName: target.containerName, ContainerPort: target.containerPort }
  }
  if (target.platformVersion && target.platformVersion !== 'LATEST') properties.PlatformVersion = target.platformVersion
  // JSON.stringify writes 0.0 as 0; the AppSpec version is written 0.0.
  const resources = JSON.stringify([{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }])
  return `{"version":0.0,"Resources":${resources}}`
}
