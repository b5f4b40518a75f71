import { describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { HttpResponse } from '@smithy/core/protocols'
import { Readable } from 'node:stream'
import type { Clock } from '../../../src/clock.js'
import { ApiBudget, bucketOf, WINDOW_MS, type BucketName } from '../../../src/aws/api-budget.js'
import { withApiBudget } from '../../../src/aws/budget-middleware.js'

/** A clock whose sleeps move it on: calls taken one after another see the time they were let go. */
function testClock(start = 0): Clock & { set(t: number): void; sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
    set: (t) => (now = t),
    sleeps
  }
}

const place = { region: 'eu-west-1' }

/** When the budget lets each of `n` calls go, asked for one after another. */
async function sendTimes(budget: ApiBudget, clock: Clock, n: number, bucket: BucketName = 'service-reads') {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    await budget.take(place, bucket)
    times.push(clock.now())
  }
  return times
}

describe('bucketOf', () => {
  it.each([
    ['ecs', 'DescribeServices', 'service-reads'],
    ['ecs', 'ListServices', 'service-reads'],
    ['ecs', 'ListTasks', 'cluster-resource-reads'],
    ['ecs', 'DescribeTasks', 'cluster-resource-reads'],
    ['ecs', 'DescribeServiceDeployments', 'service-deployment-reads'],
    ['ecs', 'DescribeTaskDefinition', 'task-definition-reads'],
    ['ecs', 'UpdateService', 'service-writes'],
    ['ecs', 'RunTask', undefined],
    ['codedeploy', 'GetDeployment', 'codedeploy-reads'],
    ['codedeploy', 'CreateDeployment', undefined]
  ] as ['ecs' | 'codedeploy', string, string | undefined][])('%s %s draws on %s', (service, operation, bucket) => {
    expect(bucketOf(service, operation)).toBe(bucket)
  })
})

describe('ApiBudget', () => {
  it('lets share x burst calls go at once, then paces them at share x refill', async () => {
    const clock = testClock()
    // 50% of service reads: 50 tokens, but the 10 s window allows 100 calls at 10 a second.
    const times = await sendTimes(new ApiBudget(50, clock), clock, 70)
    expect(times.slice(0, 50).every((t) => t === 0)).toBe(true)
    expect(times[50]).toBeCloseTo(100) // one token every 100 ms
    expect(times[69]).toBeCloseTo(2000)
  })

  it('never sends more than share x refill x 10 s in any 10 s window', async () => {
    const clock = testClock()
    const budget = new ApiBudget(50, clock)
    const times = await sendTimes(budget, clock, 400)
    const limit = 0.5 * 20 * (WINDOW_MS / 1000)
    for (const t of times) expect(times.filter((u) => u > t - WINDOW_MS && u <= t).length).toBeLessThanOrEqual(limit)
    expect(budget.usage()[0]).toMatchObject({ calls: 400, peakPerWindow: limit, peakPerSecond: 10, throttled: 0, sharePercent: 50 })
  })

  it('holds the 10 s window on the times calls really go, when many wait at once and timers fire late', async () => {
    // Virtual time: each sleep ends up to 400 ms late; the test runs timers in time order.
    let now = 0
    const timers: { at: number; resolve: () => void }[] = []
    let late = 0
    const clock: Clock = {
      now: () => now,
      sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms + (late = (late + 137) % 400), resolve }))
    }
    const budget = new ApiBudget(50, clock)
    const sent: number[] = []
    const all = Promise.all(Array.from({ length: 300 }, () => budget.take(place, 'service-reads').then(() => sent.push(now))))
    for (;;) {
      await new Promise((r) => setImmediate(r))
      if (timers.length === 0) break
      timers.sort((a, b) => a.at - b.at)
      const next = timers.shift() as (typeof timers)[number]
      now = Math.max(now, next.at)
      next.resolve()
    }
    await all
    expect(sent).toHaveLength(300)
    for (const t of sent) expect(sent.filter((u) => u > t - WINDOW_MS && u <= t).length).toBeLessThanOrEqual(100)
  })

  it("paces writes at ECS's own rate, with one token kept back, no window and no shrinking", async () => {
    const clock = testClock()
    const budget = new ApiBudget(10, clock)
    const times = await sendTimes(budget, clock, 100, 'service-writes')
    expect(times.filter((t) => t === 0)).toHaveLength(49)
    expect(times[99]).toBeCloseTo(10_200) // 51 more at 5 a second
    budget.throttled(place, 'service-writes')
    expect(budget.ratePerSecond(place, 'service-writes')).toBe(5)
  })

  it('keeps separate buckets per account, region and bucket', async () => {
    const clock = testClock()
    const budget = new ApiBudget(10, clock)
    // 10% of service reads: 10 tokens at once at each place.
    for (const p of [place, { region: 'us-east-1' }, { region: 'eu-west-1', account: '210987654321' }]) {
      for (let i = 0; i < 10; i++) await budget.take(p, 'service-reads')
    }
    for (let i = 0; i < 10; i++) await budget.take(place, 'cluster-resource-reads')
    expect(clock.sleeps).toEqual([])
    await budget.take(place, 'service-reads')
    expect(clock.sleeps).toEqual([500]) // 2 a second
    expect(budget.usage().map((u) => [u.place, u.bucket, u.calls])).toEqual([
      [place, 'service-reads', 11],
      [{ region: 'us-east-1' }, 'service-reads', 10],
      [{ region: 'eu-west-1', account: '210987654321' }, 'service-reads', 10],
      [place, 'cluster-resource-reads', 10]
    ])
  })

  it('shrinks the share after a throttled answer, once a second at most, never below 10%', () => {
    const clock = testClock()
    const budget = new ApiBudget(50, clock)
    expect(budget.ratePerSecond(place, 'service-reads')).toBe(10)
    budget.throttled(place, 'service-reads')
    budget.throttled(place, 'service-reads') // the same burst of throttles: no second cut
    expect(budget.ratePerSecond(place, 'service-reads')).toBeCloseTo(7)
    for (let s = 1; s <= 20; s++) {
      clock.set(s * 1000)
      budget.throttled(place, 'service-reads')
    }
    expect(budget.ratePerSecond(place, 'service-reads')).toBeCloseTo(2)
    expect(budget.ratePerSecond(place, 'cluster-resource-reads')).toBe(10)
    expect(budget.usage()).toEqual([]) // throttles without calls: nothing was sent through it
  })
})

describe('withApiBudget', () => {
  it("makes reads wait for the budget, paces writes at ECS's own rate, and counts throttled answers", async () => {
    const clock = testClock()
    const budget = new ApiBudget(10, clock)
    // An HTTP handler in place of ECS (a client mock would skip the middleware stack): ListTasks is throttled.
    const requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        const throttled = request.headers['x-amz-target']?.endsWith('.ListTasks')
        const body = throttled ? { __type: 'ThrottlingException', message: 'Rate exceeded' } : {}
        return {
          response: new HttpResponse({
            statusCode: throttled ? 400 : 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(body))])
          })
        }
      }
    }
    const client = new ECSClient({
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: requestHandler as never
    })
    withApiBudget(client, budget, place, 'ecs')

    for (let i = 0; i < 12; i++) await client.send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }))
    for (let i = 0; i < 52; i++) await client.send(new UpdateServiceCommand({ cluster: 'c', service: 's' }))
    await expect(client.send(new ListTasksCommand({ cluster: 'c' }))).rejects.toThrow('Rate exceeded')

    // Reads: 10 tokens, then 2 a second. Writes: ECS's own 50 (one kept back), then 5 a second.
    expect(clock.sleeps).toEqual([500, 500, 200, 200, 200])
    expect(budget.usage()).toEqual([
      expect.objectContaining({ bucket: 'service-reads', calls: 12, throttled: 0 }),
      expect.objectContaining({ bucket: 'service-writes', calls: 52, throttled: 0, sharePercent: 100 }),
      expect.objectContaining({ bucket: 'cluster-resource-reads', calls: 1, throttled: 1, sharePercent: 10 }) // already at the floor
    ])
  })
})
