import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { refs } from '../../../__fixtures__/ecs.js'
import { ServiceTracker, TransitionError } from '../../../src/ecs/service-state.js'

const reference = { container: 'app', variable: 'DB', field: 'secrets' as const, valueFrom: 'arn:...:secret:prod/db', pinned: false }

function round(list = 'prod/api\nprod/front\nbatch/pdf') {
  const clock = fakeClock()
  const tracker = new ServiceTracker(refs(list), clock, (ref) => (ref.service === 'pdf' ? [reference] : undefined))
  const [api, front, pdf] = tracker.refs
  return { clock, tracker, api, front, pdf }
}

describe('ServiceTracker', () => {
  it('takes a service from planned through started and observed to finished, with the duration from its start', async () => {
    const { clock, tracker, api } = round()
    expect(tracker.phase(api)).toBe('planned')
    tracker.assignKind(api, 'rolling update')
    await clock.sleep(1000)
    tracker.start(api, { deploymentId: 'ecs-svc/1', runningCount: 0, desiredCount: 2 })
    expect(tracker.outcome(api)).toMatchObject({ status: 'started', deploymentId: 'ecs-svc/1', runningCount: 0, desiredCount: 2 })
    await clock.sleep(4000)
    tracker.observe(api, { state: 'in-progress', progress: '1/2 running', runningCount: 1 })
    expect(tracker.outcome(api)).toMatchObject({ status: 'started', reason: '1/2 running', runningCount: 1, desiredCount: 2 })
    await clock.sleep(2000)
    tracker.finish(api, 'succeeded', undefined, { runningCount: 2 })
    expect(tracker.outcome(api)).toEqual({
      ref: api,
      status: 'succeeded',
      kind: 'rolling update',
      deploymentId: 'ecs-svc/1',
      startedAt: clock.now() - 6000,
      durationSeconds: 6,
      runningCount: 2,
      desiredCount: 2
    })
    expect(tracker.phase(api)).toBe('finished')
  })

  it('refuses transitions out of order: no finish before a start, no second start, no observation after the end', () => {
    const { tracker, api, front } = round()
    expect(() => tracker.finish(api, 'succeeded')).toThrow(TransitionError)
    tracker.start(api, { deploymentId: 'd1' })
    expect(() => tracker.start(api, { deploymentId: 'd2' })).toThrow('prod/api: cannot go from started (allowed from planned)')
    tracker.finish(api, 'failed', 'circuit breaker')
    expect(() => tracker.observe(api, { state: 'in-progress', progress: 'x' })).toThrow(TransitionError)
    expect(() => tracker.prove(api, { proven: 1, total: 1 })).toThrow('only a deployment that rolled out is proven')
    expect(() => tracker.refuse(api, 'late')).toThrow(TransitionError)
    expect(() => tracker.prove(front, { proven: 1, total: 1 })).toThrow(TransitionError)
    expect(tracker.outcome(api)).toMatchObject({ status: 'failed', reason: 'circuit breaker', deploymentId: 'd1' })
  })

  it('says why services that were never redeployed were not, as the run last explained it', () => {
    const { tracker, api, front, pdf } = round()
    expect(tracker.outcome(api).reason).toBe('not redeployed: an earlier stage failed')
    tracker.holdBecause('the secret change failed, so the running tasks keep the current value')
    tracker.refuse(front, 'UpdateService failed: AccessDeniedException: denied')
    expect(tracker.snapshot().map((o) => [o.ref.label, o.status, o.reason])).toEqual([
      ['prod/api', 'skipped', 'not redeployed: the secret change failed, so the running tasks keep the current value'],
      ['prod/front', 'failed', 'UpdateService failed: AccessDeniedException: denied'],
      ['batch/pdf', 'skipped', 'not redeployed: the secret change failed, so the running tasks keep the current value']
    ])
    expect(tracker.outcome(pdf).discoveredBy).toEqual([reference])
    expect(tracker.outcome(api).discoveredBy).toBeUndefined()
  })

  it('reports a dry run as planned, saying whether each service was listed or reads the secret', () => {
    const { tracker } = round()
    tracker.markDryRun()
    expect(tracker.snapshot().map((o) => [o.status, o.reason])).toEqual([
      ['planned', 'would be redeployed: listed'],
      ['planned', 'would be redeployed: listed'],
      ['planned', 'would be redeployed: it reads the secret']
    ])
  })

  it('turns a success into a failure when the proof finds a problem or the tasks cannot be read, and keeps a clean proof', () => {
    const { tracker, api, front, pdf } = round()
    for (const ref of [api, front, pdf]) {
      tracker.start(ref, { deploymentId: `d-${ref.service}` })
      tracker.finish(ref, 'succeeded')
    }
    tracker.prove(api, { proven: 2, total: 2 })
    tracker.prove(front, { proven: 1, total: 2, problem: '1 running task is not from deployment d-front' })
    tracker.prove(pdf, Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    expect(tracker.snapshot().map((o) => [o.status, o.reason, o.proof])).toEqual([
      ['succeeded', undefined, { proven: 2, total: 2 }],
      [
        'failed',
        'rolled out, but the running tasks do not prove it: 1 running task is not from deployment d-front',
        { proven: 1, total: 2, problem: '1 running task is not from deployment d-front' }
      ],
      ['failed', 'rolled out, but its tasks could not be checked: AccessDeniedException: denied', undefined]
    ])
  })

  it('appends AWS explanations to a finished service and leaves an unexplained one as it was', () => {
    const { tracker, api, front } = round()
    tracker.start(api, { deploymentId: 'd1' })
    tracker.start(front, { deploymentId: 'd2' })
    tracker.finish(api, 'timed-out', 'still in progress after 60s: 1/2 running')
    tracker.finish(front, 'failed', 'deployment failed')
    tracker.explain(api, ['stopped task: CannotPullContainerError', 'event: unable to place a task'])
    tracker.explain(front, [])
    expect(tracker.outcome(api).reason).toBe(
      'still in progress after 60s: 1/2 running; stopped task: CannotPullContainerError; event: unable to place a task'
    )
    expect(tracker.outcome(front).reason).toBe('deployment failed')
  })

  it('follows only started and observed services, and a cancelled snapshot says which were still rolling out', () => {
    const { tracker, api, front, pdf } = round()
    tracker.start(api, { deploymentId: 'd1' })
    tracker.start(front, { deploymentId: 'd2' })
    tracker.observe(front, { state: 'in-progress', progress: '1/2 running' })
    tracker.start(pdf, { deploymentId: 'd3' })
    tracker.finish(pdf, 'succeeded')
    expect(tracker.rollingOut().map((o) => o.ref.label)).toEqual(['prod/api', 'prod/front'])
    expect(tracker.snapshot({ cancelled: true }).map((o) => [o.status, o.reason])).toEqual([
      ['started', 'still rolling out when the run was cancelled'],
      ['started', 'still rolling out when the run was cancelled (1/2 running)'],
      ['succeeded', undefined]
    ])
    // A snapshot is a copy: changing it changes nothing in the tracker.
    const snap = tracker.snapshot()
    snap[0].status = 'failed'
    expect(tracker.outcome(api).status).toBe('started')
  })
})
