import { chunks, groupBy } from '../collections.js'
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

/** One key per cluster: the same cluster name in another account or region is another cluster. */
export function clusterKey(ref: Pick<ServiceRef, 'account' | 'region' | 'cluster'>): string {
  return `${ref.account ?? ''}\0${ref.region}\0${ref.cluster}`
}

/** Groups services by region and cluster, in chunks DescribeServices accepts. */
export function clusterBatches(refs: readonly ServiceRef[]): ClusterBatch[] {
  return [...groupBy(refs, clusterKey).values()].flatMap((group) =>
    chunks(group, DESCRIBE_SERVICES_MAX).map((batch) => ({ region: group[0].region, cluster: group[0].cluster, refs: batch }))
  )
}

export { chunks }

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
