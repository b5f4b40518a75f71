import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type DescribeServicesCommandInput,
  type DescribeTasksCommandInput,
  type ListTasksCommandInput,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { deployment, refs, service } from '../../../__fixtures__/ecs.js'
import type { KindContext } from '../../../src/ecs/kinds/kind.js'
import { rollingKind } from '../../../src/ecs/kinds/rolling.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'
import { proveRollouts } from '../../../src/ecs/rollout-proof.js'
import { ServiceTracker } from '../../../src/ecs/service-state.js'
import { nextPollDelay, waitForDeployments, type WaitOptions } from '../../../src/ecs/wait-for-deployments.js'
import type { ServiceRef } from '../../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client
const codeDeployMock = mockClient(CodeDeployClient)
const codedeployClient = new CodeDeployClient({ region: 'eu-west-1' })
const codedeploy = () => codedeployClient
const warnings: string[] = []
const context = (clock: ReturnType<typeof fakeClock>, deadlineMs = 600_000): KindContext => ({
  ecs,
  ecsWriter: ecs,
  codedeploy,
  warn: (message) => warnings.push(message),
  clock,
  deadline: clock.now() + deadlineMs
})

beforeEach(() => {
  ecsMock.reset()
  codeDeployMock.reset()
  warnings.length = 0
})

/** Each service's deployment completes after `doneAfterMs[name]` on the fake clock, or ends as `fate` says. */
function rollout(
  clock: { now(): number },
  plan: Record<string, { doneAfterMs: number; fate?: 'completed' | 'failed' | 'rolled-back' | 'stuck' }>
) {
  const start = clock.now()
  return (input: DescribeServicesCommandInput) => {
    const elapsed = clock.now() - start
    const services: Service[] = (input.services ?? []).map((name) => {
      const { doneAfterMs, fate = 'completed' } = plan[name]
      const id = `ecs-svc/${name}-new`
      if (fate === 'stuck' || elapsed < doneAfterMs)
        return service(name, [deployment(id, { runningCount: 1 }), deployment('ecs-svc/old', { status: 'ACTIVE' })])
      if (fate === 'failed')
        return service(name, [deployment(id, { rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker: 3 tasks failed to start' })])
      if (fate === 'rolled-back') return service(name, [deployment('ecs-svc/rollback', { rolloutState: 'COMPLETED', runningCount: 2 })])
      return service(name, [deployment(id, { rolloutState: 'COMPLETED', runningCount: 2 })])
    })
    return { services, failures: [] }
  }
}

/** A round whose services' deployments `ecs-svc/<name>-new` were started now. */
function started(list: string, clock: ReturnType<typeof fakeClock>): ServiceTracker {
  const tracker = new ServiceTracker(refs(list), clock)
  for (const ref of tracker.refs) tracker.start(ref, { deploymentId: `ecs-svc/${ref.service}-new` })
  return tracker
}

const waitOptions = (clock: ReturnType<typeof fakeClock>, timeoutSeconds = 600): WaitOptions => ({
  timeoutSeconds,
  clock,
  log: () => undefined,
  warn: () => undefined
})

/** Waits with the rolling kind for every service, and returns the round's snapshot. */
async function waitFor(tracker: ServiceTracker, options: WaitOptions): Promise<ServiceOutcome[]> {
  const kind = rollingKind()
  await waitForDeployments(tracker, () => kind, context(options.clock as ReturnType<typeof fakeClock>), options)
  return tracker.snapshot()
}

describe('waitForDeployments', () => {
  it('reports every service in several clusters as succeeded, each when it finished', async () => {
    const clock = fakeClock()
    ecsMock
      .on(DescribeServicesCommand)
      .callsFake(rollout(clock, { api: { doneAfterMs: 5000 }, front: { doneAfterMs: 20_000 }, pdf: { doneAfterMs: 9000 } }))
    const outcomes = await waitFor(started('prod/api\nprod/front\nbatch/pdf', clock), waitOptions(clock))
    expect(outcomes.map((o) => [o.ref.label, o.status, o.durationSeconds])).toEqual([
      ['prod/api', 'succeeded', 6],
      ['prod/front', 'succeeded', 20],
      ['batch/pdf', 'succeeded', 10]
    ])
  })

  it('uses one DescribeServices per 10 services of a cluster in each round (11 services = 2 calls)', async () => {
    const clock = fakeClock()
    const names = Array.from({ length: 11 }, (_, i) => `s${i}`)
    ecsMock.on(DescribeServicesCommand).callsFake(rollout(clock, Object.fromEntries(names.map((n) => [n, { doneAfterMs: 4000 }]))))
    await waitFor(started(names.map((n) => `prod/${n}`).join('\n'), clock), waitOptions(clock))
    const calls = ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services?.length)
    expect(clock.sleeps).toEqual([2000, 2000])
    expect(calls).toEqual([10, 1, 10, 1])
  })

  it('fails a service whose deployment the circuit breaker marks FAILED, with stopped-task reasons, and still waits for the others', async () => {
    const clock = fakeClock()
    ecsMock
      .on(DescribeServicesCommand)
      .callsFake(rollout(clock, { api: { doneAfterMs: 3000, fate: 'failed' }, front: { doneAfterMs: 30_000 } }))
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2'] })
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        { startedBy: 'ecs-svc/api-new', stoppedReason: 'ResourceInitializationError: unable to pull secrets: AccessDeniedException' },
        { startedBy: 'ecs-svc/old', stoppedReason: 'Scaling activity initiated by deployment' }
      ]
    })
    const outcomes = await waitFor(started('prod/api\nprod/front', clock), waitOptions(clock))
    expect(outcomes[0]).toMatchObject({ status: 'failed' })
    expect(outcomes[0].reason).toBe(
      'deployment failed: circuit breaker: 3 tasks failed to start; stopped task: ResourceInitializationError: unable to pull secrets: AccessDeniedException'
    )
    // front completes at 30 s and is noticed within a tenth of that.
    expect(outcomes[1].status).toBe('succeeded')
    expect(outcomes[1].durationSeconds).toBeGreaterThanOrEqual(30)
    expect(outcomes[1].durationSeconds).toBeLessThanOrEqual(33)
  })

  it('fails a service rolled back to an older deployment', async () => {
    const clock = fakeClock()
    ecsMock.on(DescribeServicesCommand).callsFake(rollout(clock, { api: { doneAfterMs: 3000, fate: 'rolled-back' } }))
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
    const [outcome] = await waitFor(started('prod/api', clock), waitOptions(clock))
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain('deployment ecs-svc/api-new is gone')
  })

  it('times out a service that never stabilises, with its last progress', async () => {
    const clock = fakeClock()
    ecsMock.on(DescribeServicesCommand).callsFake(rollout(clock, { api: { doneAfterMs: 0, fate: 'stuck' }, front: { doneAfterMs: 1000 } }))
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
    const outcomes = await waitFor(started('prod/api\nprod/front', clock), waitOptions(clock, 120))
    expect(outcomes.map((o) => o.status)).toEqual(['timed-out', 'succeeded'])
    expect(outcomes[0].reason).toBe('still in progress after 120s: 1/2 running, 2 pending, rollout IN_PROGRESS')
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000)
  })

  it('keeps polling through throttling that outlasts the SDK retries', async () => {
    const clock = fakeClock()
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
    const warnings: string[] = []
    const fake = rollout(clock, { api: { doneAfterMs: 1000 } })
    ecsMock.on(DescribeServicesCommand).rejectsOnce(throttled).rejectsOnce(throttled).callsFake(fake)
    const [outcome] = await waitFor(started('prod/api', clock), {
      ...waitOptions(clock),
      warn: (m) => void warnings.push(m)
    })
    expect(outcome.status).toBe('succeeded')
    expect(warnings).toEqual([
      expect.stringContaining('ThrottlingException: Rate exceeded'),
      expect.stringContaining('ThrottlingException')
    ])
  })

  it('backs off from 2 s to 15 s as the wait goes on', () => {
    expect([0, 10_000, 40_000, 100_000, 600_000].map(nextPollDelay)).toEqual([2000, 2000, 4000, 10_000, 15_000])
  })
})

describe('the rollout proof in the wait', () => {
  it('turns a rolled-out service into failed when its tasks do not prove it, and when they cannot be read', async () => {
    const clock = fakeClock()
    ecsMock
      .on(DescribeServicesCommand)
      .callsFake(rollout(clock, { api: { doneAfterMs: 1000 }, front: { doneAfterMs: 1000 }, pdf: { doneAfterMs: 1000 } }))
    const asked: string[][] = []
    const outcomes = await waitFor(started('prod/api\nprod/front\nprod/pdf', clock), {
      ...waitOptions(clock),
      verify: async (rolledOut) => {
        asked.push(rolledOut.map((o) => o.ref.service))
        return new Map<ServiceRef, { proven: number; total: number; problem?: string } | Error>(
          rolledOut
            .filter((o) => o.ref.service !== 'pdf')
            .map((o) => [
              o.ref,
              o.ref.service === 'api' ? { proven: 2, total: 2 } : { proven: 1, total: 2, problem: '1 running task is old' }
            ])
        )
      }
    })
    // One call for the three that rolled out in the same round.
    expect(asked).toEqual([['api', 'front', 'pdf']])
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['succeeded', undefined],
      ['failed', 'rolled out, but the running tasks do not prove it: 1 running task is old'],
      ['failed', 'rolled out, but its tasks could not be checked: no answer for this service']
    ])
    expect(outcomes[0].proof).toEqual({ proven: 2, total: 2 })
  })
})

describe('the rollout proof after an early success', () => {
  /**
   * Every service's deployment completes at 1 s with early success criteria; its tasks then
   * settle as `tasksAt` says (ListTasks and DescribeTasks answer from it and from their input).
   */
  function earlySuccess(
    clock: ReturnType<typeof fakeClock>,
    criteria: Record<string, unknown>,
    tasksAt: (service: string, elapsedMs: number) => { newTasks: number; oldTasks: number }
  ) {
    const start = clock.now()
    ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).map((name) =>
        service(
          name,
          clock.now() - start < 1000
            ? [deployment(`ecs-svc/${name}-new`), deployment('ecs-svc/old', { status: 'ACTIVE' })]
            : [
                deployment(`ecs-svc/${name}-new`, { rolloutState: 'COMPLETED', runningCount: 2 }),
                deployment('ecs-svc/old', { status: 'ACTIVE' })
              ],
          { deploymentConfiguration: { earlySuccessCriteria: { enable: true, ...criteria } } }
        )
      ),
      failures: []
    }))
    const running = (): Task[] =>
      ['early', 'stale'].flatMap((name) => {
        const { newTasks, oldTasks } = tasksAt(name, clock.now() - start)
        const task = (by: string, i: number): Task => ({
          taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/${name}-${by}-${i}`,
          group: `service:${name}`,
          startedBy: by === 'new' ? `ecs-svc/${name}-new` : 'ecs-svc/old',
          startedAt: new Date(start + 500)
        })
        return [
          ...Array.from({ length: newTasks }, (_, i) => task('new', i)),
          ...Array.from({ length: oldTasks }, (_, i) => task('old', i))
        ]
      })
    ecsMock.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => ({
      taskArns: running()
        .filter((t) => !input.serviceName || t.group === `service:${input.serviceName}`)
        .map((t) => t.taskArn)
    }))
    ecsMock
      .on(DescribeTasksCommand)
      .callsFake((input: DescribeTasksCommandInput) => ({ tasks: running().filter((t) => input.tasks?.includes(t.taskArn as string)) }))
  }

  async function waitAndProve(clock: ReturnType<typeof fakeClock>, timeoutSeconds: number) {
    const logs: string[] = []
    const outcomes = await waitFor(started('prod/early\nprod/stale', clock), {
      ...waitOptions(clock, timeoutSeconds),
      log: (line) => logs.push(line),
      // As in the action: rounds as often as the API budget allows.
      pollDelayMs: 500,
      verify: (rolledOut) => proveRollouts(ecs, rolledOut)
    })
    return { outcomes, logs, elapsedMs: clock.now() - Date.UTC(2026, 0, 1) }
  }

  it('waits for the previous tasks ECS removes after a DEFERRED success, and reports those still running at deployment-timeout', async () => {
    const clock = fakeClock()
    earlySuccess(clock, { sourceServiceRevisionCleanup: 'DEFERRED', healthyPercent: 100 }, (name, ms) => ({
      newTasks: ms < 1000 ? 0 : 2,
      oldTasks: name === 'stale' || ms < 20_000 ? 2 : 0
    }))
    const { outcomes, logs, elapsedMs } = await waitAndProve(clock, 60)
    const why = 'early success criteria: ECS removes them after the deployment (DEFERRED)'
    expect(outcomes.map((o) => [o.ref.service, o.status, o.reason, o.proof])).toEqual([
      ['early', 'succeeded', undefined, { proven: 2, total: 2 }],
      [
        'stale',
        'succeeded',
        `after waiting 58s: 2 tasks of the previous revision still run (${why})`,
        { proven: 2, total: 4, note: `after waiting 58s: 2 tasks of the previous revision still run (${why})`, settling: true }
      ]
    ])
    // Still waiting for stale at the deadline, not longer.
    expect(elapsedMs).toBe(60_000)
    // Looked at again as a rolling-out service is (every 2 s, then a tenth of the wait), not every 0.5 s round.
    expect(ecsMock.commandCalls(ListTasksCommand).length).toBeLessThanOrEqual(25)
    expect(logs).toEqual(
      expect.arrayContaining([
        `prod/early: rolled out; waiting while 2 tasks of the previous revision still run (${why})`,
        'prod/early: settled 18s later: no task of the previous revision left, every new task running'
      ])
    )
  })

  it('waits for the new revision to reach desiredCount after a success at 50% healthy, and ends as soon as every proof settled', async () => {
    const clock = fakeClock()
    earlySuccess(clock, { sourceServiceRevisionCleanup: 'BLOCKING', healthyPercent: 50 }, (_name, ms) => ({
      newTasks: ms < 1000 ? 0 : ms < 9000 ? 1 : 2,
      oldTasks: 0
    }))
    const { outcomes, elapsedMs } = await waitAndProve(clock, 60)
    expect(outcomes.map((o) => [o.status, o.reason, o.proof?.proven])).toEqual([
      ['succeeded', undefined, 2],
      ['succeeded', undefined, 2]
    ])
    expect(elapsedMs).toBe(10_500)
  })
})

describe('a poller that spends its reads where ends are due', () => {
  /** The services each DescribeServices round asked about, with the fake clock's time. */
  const rounds = (clock: ReturnType<typeof fakeClock>) => {
    const seen: [number, string[]][] = []
    return {
      seen,
      record: (input: DescribeServicesCommandInput) => seen.push([clock.now() - Date.UTC(2026, 0, 1), input.services ?? []])
    }
  }

  it('looks at a service every round near the end its previous deployment took, and seldom before', async () => {
    const clock = fakeClock()
    const answer = rollout(clock, { api: { doneAfterMs: 20_000 }, web: { doneAfterMs: 3_000 } })
    const { seen, record } = rounds(clock)
    ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => (record(input), answer(input)))
    const expected: Record<string, number> = { api: 20_000, web: 3_000 }
    const outcomes = await waitFor(started('prod/api\nprod/web', clock), {
      ...waitOptions(clock),
      pollDelayMs: 500,
      expectedMs: (ref) => expected[ref.service]
    })
    expect(outcomes.map((o) => [o.ref.service, o.status, o.durationSeconds])).toEqual([
      ['api', 'succeeded', 20],
      ['web', 'succeeded', 3]
    ])
    // api: at 0.5 s, halfway to 16 s (8 s later), ... then every round from 16 s; web: every round from 2.5 s (80% of 3 s).
    expect(seen.filter(([, names]) => names.includes('api')).map(([t]) => t)).toEqual([
      500, 8_500, 12_500, 14_500, 16_000, 16_500, 17_000, 17_500, 18_000, 18_500, 19_000, 19_500, 20_000
    ])
    expect(seen.filter(([, names]) => names.includes('web')).map(([t]) => t)).toEqual([500, 2_500, 3_000])
  })

  it('proves a cluster once nothing else in it is rolling out, or after 30 s, and proves the rest at the end', async () => {
    const clock = fakeClock()
    ecsMock.on(DescribeServicesCommand).callsFake(
      rollout(clock, {
        a1: { doneAfterMs: 2_000 },
        a2: { doneAfterMs: 50_000 },
        b1: { doneAfterMs: 4_000 },
        b2: { doneAfterMs: 8_000 },
        c1: { doneAfterMs: 6_000 },
        c2: { doneAfterMs: 0, fate: 'stuck' },
        c3: { doneAfterMs: 40_000 }
      })
    )
    const asked: [number, string[]][] = []
    const outcomes = await waitFor(started('a/a1\na/a2\nb/b1\nb/b2\nc/c1\nc/c2\nc/c3', clock), {
      ...waitOptions(clock, 60),
      pollDelayMs: 1000,
      verify: async (rolledOut) => {
        asked.push([(clock.now() - Date.UTC(2026, 0, 1)) / 1000, rolledOut.map((o) => o.ref.label)])
        return new Map(rolledOut.map((o) => [o.ref, { proven: 2, total: 2 }]))
      }
    })
    // Services are looked at every 2 s (from 1 s on) here, so each end is seen up to 2 s late.
    expect(asked).toEqual([
      [9, ['b/b1', 'b/b2']], // b2 was the last of b to roll out
      [33, ['a/a1']], // a2 still rolling out: a1 waited 30 s
      [37, ['c/c1']], // c2 never ends: c1 waited 30 s
      [51, ['a/a2']],
      [60, ['c/c3']] // the wait ended (c2 timed out) before c3 had waited 30 s
    ])
    expect(outcomes.map((o) => o.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'timed-out',
      'succeeded'
    ])
    expect(outcomes.filter((o) => o.proof).length).toBe(6)
  })
})
