import { DescribeTaskDefinitionCommand, paginateListServices, type ECSClient, type TaskDefinition } from '@aws-sdk/client-ecs'
import type { Place } from '../aws/place.js'
import type { ClusterRef, ServiceRef } from '../service-list.js'
import { describeInBatches } from './batches.js'
import { matchSecretReference, type ReferenceField, type SecretIdentity, type SecretReference } from './secret-references.js'

export interface DiscoveredService {
  ref: ServiceRef
  taskDefinition: string
  references: SecretReference[]
}

export interface Discovery {
  /** Services whose task definition reads the secret (some references may be pinned). */
  found: DiscoveredService[]
  /** How many services were looked at, and how many task definitions read. */
  servicesScanned: number
  taskDefinitionsRead: number
}

/**
 * Finds the services in `clusters` whose task definition reads the secret: lists every service
 * (paginated), describes them in batches of 10, and reads each distinct task definition once.
 */
export async function discoverServices(
  ecs: (place: Place) => ECSClient,
  clusters: ClusterRef[],
  secret: SecretIdentity
): Promise<Discovery> {
  const refs: ServiceRef[] = []
  for (const cluster of clusters) {
    for await (const page of paginateListServices({ client: ecs(cluster), pageSize: 100 }, { cluster: cluster.cluster })) {
      for (const arn of page.serviceArns ?? []) {
        const service = arn.split('/').pop() as string
        refs.push({
          cluster: cluster.cluster,
          clusterName: cluster.clusterName,
          service,
          region: cluster.region,
          account: cluster.account,
          label: `${cluster.clusterName}/${service}`,
          line: cluster.line
        })
      }
    }
  }

  const described = await describeInBatches(ecs, refs)
  // Many services share a task definition: read each one once.
  const taskDefinitions = new Map<string, Promise<TaskDefinition | undefined>>()
  const read = (place: Place, arn: string) => {
    let pending = taskDefinitions.get(arn)
    if (!pending) {
      pending = ecs(place)
        .send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))
        .then((out) => out.taskDefinition)
      taskDefinitions.set(arn, pending)
    }
    return pending
  }

  const found = await Promise.all(
    refs.map(async (ref): Promise<DiscoveredService | undefined> => {
      const seen = described.get(ref)
      if (!seen || !('service' in seen)) {
        if (seen && 'error' in seen) throw seen.error
        return undefined
      }
      const arn = seen.service.taskDefinition
      if (!arn || seen.service.status !== 'ACTIVE') return undefined
      const definition = await read(ref, arn)
      const references = secretReferences(definition, secret, ref.region)
      return references.length > 0 ? { ref, taskDefinition: arn, references } : undefined
    })
  )
  return {
    found: found.filter((d): d is DiscoveredService => Boolean(d)),
    servicesScanned: refs.length,
    taskDefinitionsRead: taskDefinitions.size
  }
}

/**
 * Every place a container reads the secret at launch: its environment (`secrets`), its log
 * driver (`logConfiguration.secretOptions`) and its registry login (`repositoryCredentials`).
 */
export function secretReferences(definition: TaskDefinition | undefined, secret: SecretIdentity, region: string): SecretReference[] {
  const references: SecretReference[] = []
  const add = (container: string, variable: string, field: ReferenceField, valueFrom: string | undefined) => {
    const match = valueFrom ? matchSecretReference(valueFrom, secret, { field, region }) : undefined
    if (match) references.push({ container, variable, field, ...match })
  }
  for (const container of definition?.containerDefinitions ?? []) {
    const name = container.name ?? '?'
    for (const s of container.secrets ?? []) add(name, s.name ?? '?', 'secrets', s.valueFrom)
    for (const s of container.logConfiguration?.secretOptions ?? [])
      add(name, `logConfiguration.${s.name ?? '?'}`, 'logConfiguration.secretOptions', s.valueFrom)
    add(name, 'repositoryCredentials', 'repositoryCredentials', container.repositoryCredentials?.credentialsParameter)
  }
  return references
}
