import { AwsError } from './aws-error.js'
import type { FaultRule, TokenBucketSpec } from './scenario.js'
import { seededRandom } from './random.js'

export type Fault = { kind: Exclude<FaultRule['kind'], 'latency'> } | { kind: 'latency'; ms: number }

/** The faults the router acts out on the connection (a delay, a closed socket, an answer never sent). */
export type TransportFault = 'latency' | 'drop' | 'drop-after' | 'hang-after'

/** Who an injected AccessDenied names (the action's usual role session). */
const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/secret-rollout/secret-rollout'

/**
 * The AWS error each other fault answers with, before the call is handled. A new fault that is an
 * error is an entry here plus its name in scenario.ts's FaultRule kinds (the type checks both).
 */
export const FAULT_ERRORS: Record<Exclude<FaultRule['kind'], TransportFault>, (service: string, operation: string) => AwsError> = {
  throttle: (service) => new AwsError(service === 'sts' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded', 400),
  '5xx': (service) =>
    new AwsError(service === 'sts' ? 'ServiceUnavailable' : 'ServiceUnavailableException', 'Service unavailable (injected)', 503),
  denied: (service, operation) =>
    new AwsError(
      service === 'sts' ? 'AccessDenied' : 'AccessDeniedException',
      `User: ${ROLE_SESSION} is not authorized to perform: ${service}:${operation} because no identity-based policy allows the ${service}:${operation} action`,
      service === 'sts' ? 403 : 400
    )
}

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
