/** A token bucket as ECS publishes it: `burst` calls at once, then `perSecond`. */
export interface WriteRate {
  burst: number
  perSecond: number
}

/**
 * The earliest any client can finish redeploying, in seconds from its first call: the k-th
 * UpdateService of a region cannot be accepted before max(0, (k - burst + 1) / rate), and each
 * deployment then takes its own time. Giving the earliest slots to the longest deployments is
 * the best order (swapping any pair that breaks it never ends later), so the bound is the
 * latest finish of that order. Regions have buckets of their own: the bound is the slowest region's.
 */
export function lowerBoundSeconds(durationsMsByRegion: ReadonlyMap<string, readonly number[]>, write: WriteRate): number {
  let bound = 0
  for (const durations of durationsMsByRegion.values()) {
    const longestFirst = [...durations].sort((a, b) => b - a)
    longestFirst.forEach((ms, k) => {
      const start = k < write.burst ? 0 : (k - write.burst + 1) / write.perSecond
      bound = Math.max(bound, start + ms / 1000)
    })
  }
  return bound
}

/** The most calls in any window of `windowMs` (a sliding window over sorted times). */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let peak = 0
  let first = 0
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++
    peak = Math.max(peak, last - first + 1)
  }
  return peak
}
