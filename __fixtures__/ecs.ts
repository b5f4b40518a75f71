import type { Deployment, Service } from '@aws-sdk/client-ecs'
import { parseServiceList, type ServiceRef } from '../src/service-list.js'

export function refs(text: string, region = 'eu-west-1'): ServiceRef[] {
  const { services, errors } = parseServiceList(text, region)
  if (errors.length) throw new Error(errors.join('\n'))
  return services
}

export function deployment(id: string, fields: Partial<Deployment> = {}): Deployment {
  return { id, status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 0, pendingCount: 2, ...fields }
}

export function service(name: string, deployments: Deployment[], fields: Partial<Service> = {}): Service {
  return { serviceName: name, status: 'ACTIVE', desiredCount: 2, runningCount: 2, deployments, events: [], ...fields }
}
