import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs'
import type { Place } from '../aws/place.js'
import type { ServiceRef } from '../service-list.js'

/** DescribeServices takes at most 10 services, all of one cluster. */
export const DESCRIBE_SERVICES_MAX = 10

export interface ClusterBatch {
  region: string
  cluster: string
  refs: ServiceRef[]
}

/** Groups services by region and cluster, in chunks DescribeServices accepts. */
export function clusterBatches(refs: readonly ServiceRef[]): ClusterBatch[] {
  const groups = new Map<string, ClusterBatch>()
  for (const ref of refs) {
    const key = `${ref.account ?? ''}\0${ref.region}\0${ref.cluster}`
    const group = groups.get(key) ?? { region: ref.region, cluster: ref.cluster, refs: [] }
    group.refs.push(ref)
    groups.set(key, group)
  }
  const batches: ClusterBatch[] = []
  for (const group of groups.values()) {
    for (let i = 0; i < group.refs.length; i += DESCRIBE_SERVICES_MAX) {
      batches.push({ ...group, refs: group.refs.slice(i, i + DESCRIBE_SERVICES_MAX) })
    }
  }
  return batches
}

/** The items in chunks of at most `size`, for batch APIs. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** What one DescribeServices round saw of one service. */
export type Described = { service: Service } | { missing: string } | { error: unknown }

/** One DescribeServices call per batch, all at once (the clients cap how many are in flight). */
export async function describeInBatches(
  ecs: (place: Place) => ECSClient,
  refs: readonly ServiceRef[]
): Promise<Map<ServiceRef, Described>> {
  const seen = new Map<ServiceRef, Described>()
  await Promise.all(
    clusterBatches(refs).map(async (batch) => {
      try {
        const out = await ecs(batch.refs[0]).send(
          new DescribeServicesCommand({ cluster: batch.cluster, services: batch.refs.map((r) => r.service) })
        )
        for (const ref of batch.refs) {
          const service = out.services?.find((s) => s.serviceName === ref.service)
          const failure = out.failures?.find((f) => f.arn === ref.service || f.arn?.endsWith(`/${ref.service}`))
          seen.set(ref, service ? { service } : { missing: failure?.reason ?? 'not returned by DescribeServices' })
        }
      } catch (error) {
        for (const ref of batch.refs) seen.set(ref, { error })
      }
    })
  )
  return seen
}
