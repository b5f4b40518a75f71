import { describe, expect, it } from '@jest/globals'
import { FAULT_ERRORS, FaultInjector, matches, type Fault } from '../../../emulator/faults.js'
import type { FaultRule, TokenBucketSpec } from '../../../emulator/scenario.js'

type Rule = Omit<FaultRule, 'latencyMs'> & { latencyMs?: number }
const injector = (rules: Rule[], throttling: TokenBucketSpec[] = [], now: () => number = () => 0, seed = 1) =>
  new FaultInjector(
    rules.map((r) => ({ latencyMs: 2000, ...r })),
    throttling,
    seed,
    now
  )
/** The kinds of fault each of `n` calls of one operation meets ('' for none). */
const calls = (faults: FaultInjector, n: number, service = 'ecs', operation = 'DescribeServices', region = 'eu-west-1') =>
  Array.from({ length: n }, () =>
    faults
      .decide(service, operation, region)
      .map((f: Fault) => f.kind)
      .join('+')
  )

describe('matches', () => {
  it.each([
    ['*', 'ecs', 'DescribeServices', true],
    ['DescribeServices', 'ecs', 'DescribeServices', true],
    ['ecs:*', 'ecs', 'DescribeServices', true],
    ['ecs:DescribeServices', 'ecs', 'DescribeServices', true],
    ['DescribeServices', 'ecs', 'UpdateService', false],
    ['ecs:*', 'secretsmanager', 'DescribeSecret', false],
    ['secretsmanager:DescribeServices', 'ecs', 'DescribeServices', false],
    ['ecs:UpdateService', 'ecs', 'DescribeServices', false],
    ['Describe*', 'ecs', 'DescribeServices', false],
    ['', 'ecs', 'DescribeServices', false]
  ])('%s on %s:%s is %s', (pattern, service, operation, expected) => {
    expect(matches(pattern, service, operation)).toBe(expected)
  })
})

describe('FaultInjector rules', () => {
  it('hits every Nth call of each operation, counting each operation on its own', () => {
    const faults = injector([{ operation: '*', kind: '5xx', every: 3 }])
    expect(calls(faults, 7)).toEqual(['', '', '5xx', '', '', '5xx', ''])
    // UpdateService has its own count: its first two calls are not hit although DescribeServices had seven.
    expect(calls(faults, 3, 'ecs', 'UpdateService')).toEqual(['', '', '5xx'])
  })

  it('hits the first N calls only', () => {
    expect(calls(injector([{ operation: 'DescribeServices', kind: 'drop', first: 2 }]), 4)).toEqual(['drop', 'drop', '', ''])
  })

  it('leaves calls of operations the rule does not name alone', () => {
    const faults = injector([{ operation: 'secretsmanager:*', kind: 'throttle', every: 1 }])
    expect(calls(faults, 2)).toEqual(['', ''])
    expect(calls(faults, 2, 'secretsmanager', 'DescribeSecret')).toEqual(['throttle', 'throttle'])
  })

  it('hits a seeded share of calls: the same calls for the same seed, about the share asked', () => {
    const rule: Rule = { operation: '*', kind: 'throttle', probability: 0.25 }
    const a = calls(
      injector([rule], [], () => 0, 7),
      400
    )
    expect(
      calls(
        injector([rule], [], () => 0, 7),
        400
      )
    ).toEqual(a)
    expect(
      calls(
        injector([rule], [], () => 0, 8),
        400
      )
    ).not.toEqual(a)
    const hits = a.filter((k) => k === 'throttle').length
    expect(hits).toBeGreaterThan(70)
    expect(hits).toBeLessThan(130)
    expect(calls(injector([{ ...rule, probability: 0 }]), 50).every((k) => k === '')).toBe(true)
    expect(calls(injector([{ ...rule, probability: 1 }]), 50).every((k) => k === 'throttle')).toBe(true)
  })

  it('puts latency first and at most one failing fault on a call, the first rule that hits', () => {
    const faults = injector([
      { operation: '*', kind: 'latency', every: 1, latencyMs: 150 },
      { operation: '*', kind: 'drop-after', every: 2 },
      { operation: '*', kind: '5xx', every: 1 }
    ])
    expect(faults.decide('ecs', 'UpdateService')).toEqual([{ kind: 'latency', ms: 150 }, { kind: '5xx' }])
    expect(faults.decide('ecs', 'UpdateService')).toEqual([{ kind: 'latency', ms: 150 }, { kind: 'drop-after' }])
  })

  it('gives no fault at all without rules or buckets', () => {
    expect(calls(injector([]), 5)).toEqual(['', '', '', '', ''])
  })
})

describe('FaultInjector token buckets', () => {
  it('throttles once the burst is spent, and lets calls through again as the bucket refills', () => {
    let now = 0
    const faults = injector([], [{ operation: 'UpdateService', burst: 2, ratePerSecond: 1 }], () => now)
    expect(calls(faults, 3, 'ecs', 'UpdateService')).toEqual(['', '', 'throttle'])
    now = 500 // half a token: still empty
    expect(calls(faults, 1, 'ecs', 'UpdateService')).toEqual(['throttle'])
    now = 1_000 // one token back
    expect(calls(faults, 2, 'ecs', 'UpdateService')).toEqual(['', 'throttle'])
    now = 60_000 // never more than the burst
    expect(calls(faults, 3, 'ecs', 'UpdateService')).toEqual(['', '', 'throttle'])
  })

  it('keeps a bucket per region and, for a pattern, per operation', () => {
    const faults = injector([], [{ operation: 'ecs:*', burst: 1, ratePerSecond: 0.001 }])
    expect(calls(faults, 2, 'ecs', 'DescribeServices', 'eu-west-1')).toEqual(['', 'throttle'])
    expect(calls(faults, 2, 'ecs', 'DescribeServices', 'us-east-1')).toEqual(['', 'throttle'])
    expect(calls(faults, 2, 'ecs', 'UpdateService', 'eu-west-1')).toEqual(['', 'throttle'])
    expect(calls(faults, 1, 'secretsmanager', 'DescribeSecret', 'eu-west-1')).toEqual([''])
  })

  it('shares one bucket among the operations a bucket lists, by name or service:name', () => {
    const faults = injector([], [{ operation: '*', operations: ['DescribeServices', 'ecs:ListTasks'], burst: 2, ratePerSecond: 0.001 }])
    expect(calls(faults, 1, 'ecs', 'DescribeServices')).toEqual([''])
    expect(calls(faults, 1, 'ecs', 'ListTasks')).toEqual([''])
    expect(calls(faults, 1, 'ecs', 'DescribeServices')).toEqual(['throttle'])
    expect(calls(faults, 1, 'ecs', 'UpdateService')).toEqual([''])
  })

  it('uses the first bucket that names the operation', () => {
    const faults = injector(
      [],
      [
        { operation: 'UpdateService', burst: 1, ratePerSecond: 0.001 },
        { operation: '*', burst: 100, ratePerSecond: 100 }
      ]
    )
    expect(calls(faults, 2, 'ecs', 'UpdateService')).toEqual(['', 'throttle'])
  })

  it('takes no token from the bucket when a rule already failed the call', () => {
    const faults = injector([{ operation: '*', kind: '5xx', first: 1 }], [{ operation: '*', burst: 1, ratePerSecond: 0.001 }])
    expect(calls(faults, 3)).toEqual(['5xx', '', 'throttle'])
  })
})

describe('FAULT_ERRORS', () => {
  it.each<[keyof typeof FAULT_ERRORS, string, string, number]>([
    ['throttle', 'ecs', 'ThrottlingException', 400],
    ['throttle', 'sts', 'Throttling', 400],
    ['5xx', 'secretsmanager', 'ServiceUnavailableException', 503],
    ['5xx', 'sts', 'ServiceUnavailable', 503],
    ['denied', 'ecs', 'AccessDeniedException', 400],
    ['denied', 'sts', 'AccessDenied', 403]
  ])('%s on %s answers %s (%d), as that service does', (kind, service, code, status) => {
    expect(FAULT_ERRORS[kind](service, 'UpdateService')).toMatchObject({ code, status })
  })

  it('names the action a denied call lacks', () => {
    expect(FAULT_ERRORS.denied('ecs', 'UpdateService').message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/secret-rollout/secret-rollout is not authorized to perform: ecs:UpdateService because no identity-based policy allows the ecs:UpdateService action'
    )
  })
})
