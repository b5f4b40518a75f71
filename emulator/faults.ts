import type { FaultRule, TokenBucketSpec } from './scenario.js'
import { seededRandom } from './random.js'

export type Fault = { kind: 'throttle' | '5xx' | 'drop' | 'drop-after' | 'hang-after' | 'denied' } | { kind: 'latency'; ms: number }

/** `DescribeServices`, `ecs:*`, or `*`. */
export function matches(pattern: string, service: string, operation: string): boolean {
  return pattern === '*' || pattern === operation || pattern === `${service}:*` || pattern === `${service}:${operation}`
}

/**
 * Decides, per call, which injected faults apply: token buckets that throttle an operation
 * like the real service, and rules that hit every Nth, the first N or a seeded share of calls.
 */
export class FaultInjector {
  private readonly counts = new Map<string, number>()
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly random: () => number

  constructor(
    private readonly rules: FaultRule[],
    private readonly throttling: TokenBucketSpec[],
    seed: number,
    private readonly now: () => number = Date.now
  ) {
    this.random = seededRandom(seed)
  }

  /** Faults for this call, in order: latency first, then at most one failing fault. `region` picks the token buckets. */
  decide(service: string, operation: string, region = ''): Fault[] {
    const key = `${service}:${operation}`
    const n = (this.counts.get(key) ?? 0) + 1
    this.counts.set(key, n)
    const faults: Fault[] = []
    for (const rule of this.rules) {
      if (!matches(rule.operation, service, operation)) continue
      const hit =
        (rule.every !== undefined && n % rule.every === 0) ||
        (rule.first !== undefined && n <= rule.first) ||
        (rule.probability !== undefined && this.random() < rule.probability)
      if (!hit) continue
      if (rule.kind === 'latency') faults.push({ kind: 'latency', ms: rule.latencyMs })
      else if (!faults.some((f) => f.kind !== 'latency')) faults.push({ kind: rule.kind })
    }
    if (!faults.some((f) => f.kind !== 'latency') && this.bucketEmpty(service, operation, region)) faults.push({ kind: 'throttle' })
    return faults
  }

  private bucketEmpty(service: string, operation: string, region: string): boolean {
    const index = this.throttling.findIndex((b) =>
      b.operations
        ? b.operations.includes(operation) || b.operations.includes(`${service}:${operation}`)
        : matches(b.operation, service, operation)
    )
    if (index < 0) return false
    const spec = this.throttling[index]
    const key = spec.operations ? `#${index}|${region}` : `${spec.operation}|${service}:${operation}|${region}`
    const now = this.now()
    const bucket = this.buckets.get(key) ?? { tokens: spec.burst, at: now }
    bucket.tokens = Math.min(spec.burst, bucket.tokens + ((now - bucket.at) / 1000) * spec.ratePerSecond)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) return true
    bucket.tokens -= 1
    return false
  }
}
