import type { Service } from '@aws-sdk/client-ecs'

/**
 * How long a forced deployment of this service is expected to take: how long its current
 * PRIMARY deployment took (createdAt -> updatedAt, once it completed). Undefined when ECS does
 * not say (no completed PRIMARY, or no timestamps).
 */
export function expectedDurationMs(service: Service | undefined): number | undefined {
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY')
  if (!primary || primary.rolloutState !== 'COMPLETED' || !primary.createdAt || !primary.updatedAt) return undefined
  const ms = primary.updatedAt.getTime() - primary.createdAt.getTime()
  return ms > 0 ? ms : undefined
}

/**
 * Longest expected first: once UpdateService is rate-limited, the run ends when the last-started
 * deployments finish, so the slowest start first and the quickest fill the tail (sorting by
 * descending duration minimises the latest finish when starts come at a fixed rate). Services
 * whose duration is unknown go last, in the order given; ties keep the order given.
 */
export function longestExpectedFirst<T>(items: readonly T[], expectedMs: (item: T) => number | undefined): T[] {
  return items
    .map((item, index) => ({ item, index, ms: expectedMs(item) }))
    .sort((a, b) => {
      if (a.ms === undefined || b.ms === undefined) return a.ms === b.ms ? a.index - b.index : a.ms === undefined ? 1 : -1
      return b.ms - a.ms || a.index - b.index
    })
    .map((entry) => entry.item)
}
