import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { refs } from '../../../__fixtures__/ecs.js'
import type { DeploymentKind, KindContext, Observation } from '../../../src/ecs/kinds/kind.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'
import type { RolloutProof } from '../../../src/ecs/rollout-proof.js'
import { ServiceTracker } from '../../../src/ecs/service-state.js'
import { waitForDeployments, type WaitOptions } from '../../../src/ecs/wait-for-deployments.js'
import type { ServiceRef } from '../../../src/service-list.js'

type Clock = ReturnType<typeof fakeClock>

/**
 * A kind whose looks at each service follow its script (the last entry repeats), answering
 * only about the services asked; `explain` quotes the deployment it was asked about.
 */
function scriptedKind(script: Record<string, Observation[]>) {
  const looks = new Map<string, number>()
  const explained: string[] = []
  const kind: DeploymentKind = {
    name: 'scripted',
    description: 'scripted',
    startCall: 'UpdateService',
    start: async () => {
      throw new Error('not used')
    },
    observe: async (outcomes) =>
      new Map(
        outcomes.map((o) => {
          const n = looks.get(o.ref.service) ?? 0
          looks.set(o.ref.service, n + 1)
          const steps = script[o.ref.service]
          return [o.ref, steps[Math.min(n, steps.length - 1)]]
        })
      ),
    explain: async (outcome) => {
      explained.push(`${outcome.ref.label} ${outcome.status}`)
      return [`events of ${outcome.deploymentId}`]
    }
  }
  return { kind, looks, explained }
}

const running = (progress: string): Observation => ({ state: 'in-progress', progress })

function started(list: string, clock: Clock): ServiceTracker {
  const tracker = new ServiceTracker(refs(list), clock)
  for (const ref of tracker.refs) tracker.start(ref, { deploymentId: `ecs-svc/${ref.service}-new` })
  return tracker
}

async function wait(tracker: ServiceTracker, kind: DeploymentKind, clock: Clock, options: Partial<WaitOptions> = {}) {
  const logs: string[] = []
  const warnings: string[] = []
  const ctx: KindContext = {
    ecs: () => {
      throw new Error('not used')
    },
    ecsWriter: () => {
      throw new Error('not used')
    },
    codedeploy: () => {
      throw new Error('not used')
    },
    warn: (m) => warnings.push(m),
    clock,
    deadline: Number.MAX_SAFE_INTEGER
  }
  await waitForDeployments(tracker, () => kind, ctx, {
    timeoutSeconds: 600,
    clock,
    log: (line) => logs.push(line),
    warn: (line) => warnings.push(line),
    ...options
  })
  return { logs, warnings, outcomes: tracker.snapshot() }
}

describe('what the wait logs and explains', () => {
  it('logs each end as it happens, the progress of each service when first seen, and explains only failures and timeouts', async () => {
    const clock = fakeClock()
    const { kind, explained } = scriptedKind({
      api: [running('step 1'), { state: 'succeeded', runningCount: 2, desiredCount: 2 }],
      web: [{ state: 'failed', reason: 'tasks failed to start' }],
      slow: [running('2/4 running')]
    })
    const { logs, outcomes } = await wait(started('prod/api\nprod/web\nprod/slow', clock), kind, clock, { timeoutSeconds: 6 })
    // prod/slow shows the same progress at 4 and 6 s: logged once. No total before a minute, one at the end.
    expect(logs).toEqual([
      'prod/api: step 1',
      'prod/slow: 2/4 running',
      'prod/web: failed after 2s (tasks failed to start; events of ecs-svc/web-new)',
      'prod/api: rolled out after 4s',
      'prod/slow: timed-out after 6s (still in progress after 6s: 2/4 running; events of ecs-svc/slow-new)',
      'Wait ended after 6s: 1 rolled out, 1 failed, 1 timed out'
    ])
    expect(explained).toEqual(['prod/web failed', 'prod/slow timed-out'])
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'failed', 'timed-out'])
  })

  it('logs nothing in rounds where no service was due a look', async () => {
    const clock = fakeClock()
    const { kind, looks } = scriptedKind({ api: [running('1/2'), running('1/2'), { state: 'succeeded' }], web: [running('0/2')] })
    const expected: Record<string, number> = { api: 10_000, web: 600_000 }
    const { logs } = await wait(started('prod/api\nprod/web', clock), kind, clock, {
      timeoutSeconds: 12,
      pollDelayMs: 1000,
      expectedMs: (ref) => expected[ref.service]
    })
    // api looked at 1, 5 and 7 s, web at 1 and 11 s: each progress logged once, not once per look or second.
    expect(logs).toEqual([
      'prod/api: 1/2',
      'prod/web: 0/2',
      'prod/api: rolled out after 7s',
      'prod/web: timed-out after 12s (still in progress after 12s: 0/2; events of ecs-svc/web-new)',
      'Wait ended after 12s: 1 rolled out, 1 timed out'
    ])
    expect(looks).toEqual(
      new Map([
        ['api', 3],
        ['web', 2]
      ])
    )
  })

  it('times out a deployment it never managed to see, saying so', async () => {
    const clock = fakeClock()
    const { kind } = scriptedKind({ api: [{ state: 'unseen', warning: 'ThrottlingException: Rate exceeded' }] })
    const { outcomes, warnings } = await wait(started('prod/api', clock), kind, clock, { timeoutSeconds: 4 })
    expect(outcomes[0].reason).toBe('still in progress after 4s: not yet observed; events of ecs-svc/api-new')
    expect(warnings).toEqual([
      'Could not see some deployments this round, will look again: prod: ThrottlingException: Rate exceeded',
      'Could not see some deployments this round, will look again: prod: ThrottlingException: Rate exceeded'
    ])
  })

  it('stops at once when the run is cancelled during a pause, without a look or a timeout', async () => {
    const controller = new AbortController()
    const clock = fakeClock()
    const sleep = clock.sleep
    clock.sleep = async (ms) => {
      await sleep(ms)
      controller.abort()
    }
    const { kind, looks } = scriptedKind({ api: [running('1/2')] })
    const { outcomes, logs } = await wait(started('prod/api', clock), kind, clock, { signal: controller.signal })
    expect(looks.size).toBe(0)
    expect(outcomes[0].status).toBe('started')
    expect(logs).toEqual([])
  })

  it('waits for the redeploy to finish even when nothing is rolling out yet, and no longer', async () => {
    const clock = fakeClock()
    const { kind } = scriptedKind({})
    const tracker = new ServiceTracker(refs('prod/api'), clock)
    await wait(tracker, kind, clock, { redeploying: Promise.resolve() })
    expect(clock.sleeps).toEqual([2000])
  })
})

describe('what the wait logs while services roll out', () => {
  const counted = (progress: string, runningCount: number, desiredCount: number): Observation => ({
    state: 'in-progress',
    progress,
    runningCount,
    desiredCount
  })

  it('logs a line for a service when its progress or its counts change, and none while they stay the same', async () => {
    const clock = fakeClock()
    const { kind, looks } = scriptedKind({
      web: [
        counted('BAKE_TIME', 1, 2),
        counted('BAKE_TIME', 1, 2),
        counted('BAKE_TIME', 2, 2),
        counted('BAKE_TIME', 2, 2),
        counted('CLEAN_UP, 2/2 running', 2, 2),
        { state: 'succeeded' }
      ],
      api: [running('CodeDeploy deployment d-1 InProgress')]
    })
    const { logs } = await wait(started('prod/web\nprod/api', clock), kind, clock, { timeoutSeconds: 14, pollDelayMs: 2000 })
    expect(looks.get('web')).toBe(6)
    expect(looks.get('api')).toBeGreaterThan(2)
    expect(logs).toEqual([
      'prod/web: BAKE_TIME (1/2 running)',
      'prod/api: CodeDeploy deployment d-1 InProgress',
      'prod/web: BAKE_TIME (2/2 running)',
      'prod/web: CLEAN_UP, 2/2 running',
      'prod/web: rolled out after 12s',
      'prod/api: timed-out after 14s (still in progress after 14s: CodeDeploy deployment d-1 InProgress; events of ecs-svc/api-new)',
      'Wait ended after 14s: 1 rolled out, 1 timed out'
    ])
  })

  it('logs the total at most once a minute, by stage or kind, and once when the wait ends', async () => {
    const clock = fakeClock()
    const { kind, looks } = scriptedKind({
      web: [running('BAKE_TIME, 2/2 running')],
      api: [running('1/2 running')],
      db: [running('2/4 running'), running('2/4 running'), running('2/4 running'), running('2/4 running'), { state: 'succeeded' }]
    })
    const { logs } = await wait(started('prod/web\nprod/api\nprod/db', clock), kind, clock, { timeoutSeconds: 150, pollDelayMs: 10_000 })
    expect(looks.get('web')).toBeGreaterThan(10)
    expect(logs).toEqual([
      'prod/web: BAKE_TIME, 2/2 running',
      'prod/api: 1/2 running',
      'prod/db: 2/4 running',
      'prod/db: rolled out after 50s',
      'Waiting for 2 of 3 deployments (1m 0s): 1 in BAKE_TIME, 1 scripted',
      'Waiting for 2 of 3 deployments (2m 0s): 1 in BAKE_TIME, 1 scripted',
      'prod/web: timed-out after 150s (still in progress after 150s: BAKE_TIME, 2/2 running; events of ecs-svc/web-new)',
      'prod/api: timed-out after 150s (still in progress after 150s: 1/2 running; events of ecs-svc/api-new)',
      'Wait ended after 2m 30s: 1 rolled out, 2 timed out'
    ])
  })
})

describe('what the wait logs while proofs settle', () => {
  it('logs a settling proof once, then when it settled; a failed check or an immediate proof says nothing of settling', async () => {
    const clock = fakeClock()
    const { kind, explained } = scriptedKind({
      early: [{ state: 'succeeded' }],
      flaky: [{ state: 'succeeded' }],
      plain: [{ state: 'succeeded' }],
      bad: [{ state: 'failed', reason: 'rolled back' }]
    })
    const settling = (service: string): RolloutProof => ({ proven: 2, total: 4, note: `old tasks of ${service} still run`, settling: true })
    const asked = new Map<string, number>()
    const verify = async (rolledOut: readonly ServiceOutcome[]) =>
      new Map<ServiceRef, RolloutProof | Error>(
        rolledOut.map((o) => {
          const n = (asked.get(o.ref.service) ?? 0) + 1
          asked.set(o.ref.service, n)
          if (o.ref.service === 'plain') return [o.ref, { proven: 2, total: 2 }]
          if (o.ref.service === 'flaky') return [o.ref, n < 2 ? settling('flaky') : new Error('AccessDenied')]
          return [o.ref, n < 3 ? settling('early') : { proven: 2, total: 2 }]
        })
      )
    const { logs, outcomes } = await wait(started('prod/early\nprod/flaky\nprod/plain\nprod/bad', clock), kind, clock, {
      timeoutSeconds: 60,
      verify
    })
    expect(logs).toEqual([
      'prod/bad: failed after 2s (rolled back; events of ecs-svc/bad-new)',
      'prod/early: rolled out; waiting while old tasks of early still run',
      'prod/flaky: rolled out; waiting while old tasks of flaky still run',
      'prod/plain: rolled out after 2s',
      'prod/flaky: failed after 2s (rolled out, but its tasks could not be checked: AccessDenied)',
      'prod/early: settled 4s later: no task of the previous revision left, every new task running',
      'prod/early: rolled out after 2s',
      'Wait ended after 6s: 2 rolled out, 2 failed'
    ])
    expect(explained).toEqual(['prod/bad failed'])
    expect([...asked.keys()]).not.toContain('bad')
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'failed', 'succeeded', 'failed'])
    // Ends once every proof settled.
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeLessThan(10_000)
  })
})
