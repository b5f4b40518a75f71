import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
  type DescribeServiceDeploymentsCommandInput,
  type DescribeServicesCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentLifecycleStage
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../__fixtures__/clock.js'
import { deployment, refs, service } from '../../__fixtures__/ecs.js'
import type { KindContext } from '../../src/ecs/kinds/kind.js'
import { nativeStrategyKind, observeRecord } from '../../src/ecs/kinds/native-strategy.js'
import { rollingKind } from '../../src/ecs/kinds/rolling.js'
import type { ServiceOutcome } from '../../src/ecs/outcome.js'

const ecsMock = mockClient(ECSClient)
const ecsClient = new ECSClient({ region: 'eu-west-1' })
const warnings: string[] = []
const ctx: KindContext = {
  ecs: () => ecsClient,
  ecsWriter: () => ecsClient,
  codedeploy: () => {
    throw new Error('no CodeDeploy here')
  },
  warn: (m) => warnings.push(m),
  clock: fakeClock(),
  deadline: Number.MAX_SAFE_INTEGER
}

beforeEach(() => {
  ecsMock.reset()
  warnings.length = 0
})

const LOST = 'its lifecycle stage, bake time, hook, alarm and rollback details are not shown, and its end is judged by rolloutState alone'
const arnOf = (name: string) => `arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/${name}/abc`

const outcome = (label: string, deploymentId: string): ServiceOutcome => ({ ref: refs(label)[0], status: 'started', deploymentId })

const record = (fields: Partial<ServiceDeployment>): ServiceDeployment => ({
  serviceDeploymentArn: arnOf('web'),
  targetServiceRevision: { arn: 'rev', requestedTaskCount: 4, runningTaskCount: 3 },
  ...fields
})

/** UpdateService starts `ecs-svc/<service>-new` and names its record, unless the service is in `unnamed`. */
function updates(unnamed: string[] = [], fields: Partial<Service> = {}) {
  ecsMock.on(UpdateServiceCommand).callsFake(async (input: { service?: string }) => {
    const name = input.service as string
    return {
      service: service(name, [deployment(`ecs-svc/${name}-new`), deployment('ecs-svc/old', { status: 'ACTIVE' })], {
        ...(unnamed.includes(name) ? {} : { currentServiceDeployment: arnOf(name) }),
        ...fields
      })
    }
  })
}

/** DescribeServices: each service asked for, with its deployment `ecs-svc/<service>-new` in progress. */
function rollingOut() {
  ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).map((name) => service(name, [deployment(`ecs-svc/${name}-new`, { runningCount: 1 })])),
    failures: []
  }))
}

describe('the native-strategy kind: how it is named and followed', () => {
  it('names each strategy for logs and the summary, and says when it waits only until traffic shifted', () => {
    const kinds = [nativeStrategyKind('BLUE_GREEN', 'traffic-shifted'), nativeStrategyKind('LINEAR'), nativeStrategyKind('CANARY')]
    expect(kinds.map((k) => [k.name, k.description, k.startCall])).toEqual([
      ['blue-green', 'ECS blue/green (forced new deployment, waited for until traffic shifted)', 'UpdateService'],
      ['linear', 'ECS linear (forced new deployment)', 'UpdateService'],
      ['canary', 'ECS canary (forced new deployment)', 'UpdateService']
    ])
  })

  it('follows a service through deployments[] when UpdateService names no service deployment, warning once per reason', async () => {
    updates(['a', 'b'])
    rollingOut()
    const kind = nativeStrategyKind('LINEAR')
    const [a, b] = refs('prod/a\nprod/b')
    await kind.start(a, ctx)
    await kind.start(b, ctx)
    expect(warnings).toEqual([
      `prod/a: UpdateService named no service deployment (currentServiceDeployment); following it through deployments[] instead: ${LOST}`
    ])
    const seen = await kind.observe([outcome('prod/a', 'ecs-svc/a-new'), outcome('prod/b', 'ecs-svc/b-new')], ctx)
    expect([...seen.values()].map((o) => o.state)).toEqual(['in-progress', 'in-progress'])
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0)
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0].args[0].input.services).toEqual(['a', 'b'])
  })

  it('reads every service of a region in one call and gives each the record of its own deployment', async () => {
    updates()
    const kind = nativeStrategyKind('BLUE_GREEN')
    for (const ref of refs('prod/a\nprod/b')) await kind.start(ref, ctx)
    const stages: Record<string, ServiceDeploymentLifecycleStage> = { [arnOf('a')]: 'PRE_SCALE_UP', [arnOf('b')]: 'TEST_TRAFFIC_SHIFT' }
    // ECS answers in its own order.
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async (input: DescribeServiceDeploymentsCommandInput) => ({
      serviceDeployments: [...(input.serviceDeploymentArns ?? [])]
        .reverse()
        .map((arn) => record({ serviceDeploymentArn: arn, status: 'IN_PROGRESS', lifecycleStage: stages[arn] }))
    }))
    const seen = await kind.observe([outcome('prod/a', 'ecs-svc/a-new'), outcome('prod/b', 'ecs-svc/b-new')], ctx)
    expect([...seen.values()].map((o) => (o.state === 'in-progress' ? o.progress : o.state))).toEqual([
      'PRE_SCALE_UP, 3/4 running',
      'TEST_TRAFFIC_SHIFT, 3/4 running'
    ])
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArns: [arnOf('a'), arnOf('b')] }
    ])
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0)
  })

  it('falls back for every service of a batch ECS has no record of, naming them all in one warning', async () => {
    updates()
    rollingOut()
    const kind = nativeStrategyKind('CANARY')
    for (const ref of refs('prod/a\nprod/b')) await kind.start(ref, ctx)
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async (input: DescribeServiceDeploymentsCommandInput) => ({
      serviceDeployments: [],
      failures: (input.serviceDeploymentArns ?? []).map((arn) => ({ arn, reason: 'MISSING' }))
    }))
    const seen = await kind.observe([outcome('prod/a', 'ecs-svc/a-new'), outcome('prod/b', 'ecs-svc/b-new')], ctx)
    expect([...seen.values()].map((o) => o.state)).toEqual(['in-progress', 'in-progress'])
    expect(warnings).toEqual([
      `prod/a, prod/b: ECS has no service-deployment record of the deployment (DescribeServiceDeployments: MISSING); following them through deployments[] instead: ${LOST}`
    ])
  })

  it('falls back where the API does not exist, but only looks again next round after another error', async () => {
    updates()
    rollingOut()
    const unknown = nativeStrategyKind('LINEAR')
    await unknown.start(refs('prod/a')[0], ctx)
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejects(Object.assign(new Error('no such operation'), { name: 'UnknownOperationException' }))
    const a = outcome('prod/a', 'ecs-svc/a-new')
    expect((await unknown.observe([a], ctx)).get(a.ref)).toMatchObject({ state: 'in-progress' })
    expect(warnings).toEqual([
      `prod/a: ecs:DescribeServiceDeployments failed (UnknownOperationException: no such operation); following it through deployments[] instead: ${LOST}`
    ])

    warnings.length = 0
    const throttled = nativeStrategyKind('LINEAR')
    await throttled.start(refs('prod/a')[0], ctx)
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
    expect((await throttled.observe([a], ctx)).get(a.ref)).toEqual({ state: 'unseen', warning: 'ThrottlingException: Rate exceeded' })
    // The record is still followed: the next round asks for it again.
    await throttled.observe([a], ctx)
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(3)
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1)
    expect(warnings).toEqual([])
  })

  it('awaits the previous tasks of a success with early success criteria', async () => {
    updates([], { deploymentConfiguration: { earlySuccessCriteria: { enable: true, sourceServiceRevisionCleanup: 'DEFERRED' } } })
    const kind = nativeStrategyKind('BLUE_GREEN')
    await kind.start(refs('prod/a')[0], ctx)
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async (input: DescribeServiceDeploymentsCommandInput) => ({
      serviceDeployments: (input.serviceDeploymentArns ?? []).map((arn) => record({ serviceDeploymentArn: arn, status: 'SUCCESSFUL' }))
    }))
    const a = outcome('prod/a', 'ecs-svc/a-new')
    expect((await kind.observe([a], ctx)).get(a.ref)).toEqual({
      state: 'succeeded',
      runningCount: 3,
      desiredCount: 4,
      previousTasks: { why: 'early success criteria: ECS removes them after the deployment (DEFERRED)', awaited: true }
    })
  })
})

describe('the service-deployment record, judged', () => {
  it('says a successful deployment of a service at zero had nothing to replace', () => {
    expect(observeRecord(record({ status: 'SUCCESSFUL', targetServiceRevision: { requestedTaskCount: 0, runningTaskCount: 0 } }))).toEqual({
      state: 'succeeded',
      runningCount: 0,
      desiredCount: 0,
      note: 'no tasks to replace (desiredCount 0)'
    })
  })

  it('with wait-until traffic-shifted, counts clean-up as rolled out too', () => {
    expect(observeRecord(record({ status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP' }), 'traffic-shifted')).toEqual({
      state: 'succeeded',
      runningCount: 3,
      desiredCount: 4,
      note: 'production traffic shifted; ECS is still in CLEAN_UP',
      previousTasks: { why: 'clean-up: they get no production traffic', awaited: false }
    })
  })

  it('shows progress by the hook awaiting action only, or by the status before any stage', () => {
    const progress = (fields: Partial<ServiceDeployment>) => {
      const seen = observeRecord(record({ status: 'IN_PROGRESS', ...fields }))
      return seen.state === 'in-progress' ? seen.progress : seen.state
    }
    expect(
      progress({
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        lifecycleHookDetails: [
          { targetType: 'PAUSE', status: 'SUCCEEDED' },
          { targetType: 'AWS_LAMBDA', status: 'AWAITING_ACTION' }
        ]
      })
    ).toBe('paused at a lifecycle hook in PRODUCTION_TRAFFIC_SHIFT (awaiting ContinueServiceDeployment), 3/4 running')
    expect(progress({ lifecycleStage: 'SCALE_UP', lifecycleHookDetails: [{ targetType: 'PAUSE', status: 'SUCCEEDED' }] })).toBe(
      'SCALE_UP, 3/4 running'
    )
    expect(progress({ status: 'PENDING', targetServiceRevision: undefined })).toBe('PENDING')
  })

  it('quotes every triggered alarm, a circuit breaker with failed tasks, and a failed or timed-out hook', () => {
    const reason = (fields: Partial<ServiceDeployment>) => {
      const seen = observeRecord(record({ status: 'ROLLBACK_SUCCESSFUL', ...fields }))
      return seen.state === 'failed' ? seen.reason : seen.state
    }
    expect(reason({ alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx', 'web-p99'] } })).toBe(
      'service deployment ROLLBACK_SUCCESSFUL; alarms in ALARM: web-5xx, web-p99'
    )
    expect(reason({ deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 2, threshold: 5 } })).toBe(
      'service deployment ROLLBACK_SUCCESSFUL; circuit breaker: 2 failed tasks of a threshold of 5'
    )
    expect(reason({ deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 0 } })).toBe(
      'service deployment ROLLBACK_SUCCESSFUL; circuit breaker: 0 failed tasks of a threshold of ?'
    )
    expect(reason({ deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 5 } })).toBe(
      'service deployment ROLLBACK_SUCCESSFUL'
    )
    expect(
      reason({
        lifecycleHookDetails: [
          { hookId: 'ok-hook', status: 'SUCCEEDED' },
          { hookId: 'check-hook', status: 'FAILED' }
        ]
      })
    ).toBe('service deployment ROLLBACK_SUCCESSFUL; lifecycle hook check-hook FAILED')
    expect(reason({ lifecycleHookDetails: [{ status: 'TIMED_OUT' }] })).toBe(
      'service deployment ROLLBACK_SUCCESSFUL; lifecycle hook TIMED_OUT'
    )
    expect(reason({ lifecycleHookDetails: [{ hookId: 'ok-hook', status: 'SUCCEEDED' }] })).toBe('service deployment ROLLBACK_SUCCESSFUL')
  })
})

describe('the rolling kind, judged by deployments[]', () => {
  const look = async (services: Record<string, Service>, ...labels: string[]) => {
    ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => {
      const names = input.services ?? []
      return {
        services: names.filter((n) => n in services).map((n) => services[n]),
        failures: names.filter((n) => !(n in services)).map((n) => ({ arn: n, reason: 'MISSING' }))
      }
    })
    const outcomes = labels.map((label) => outcome(label, `ecs-svc/${label.split('/')[1]}-new`))
    const seen = await rollingKind().observe(outcomes, ctx)
    return outcomes.map((o) => seen.get(o.ref))
  }

  it('fails a service that disappeared, and counts the tasks of our deployment, not of the first listed', async () => {
    const counted = service('web', [
      deployment('ecs-svc/old', { status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 2 }),
      deployment('ecs-svc/web-new', { status: 'PRIMARY', runningCount: 1, desiredCount: 3 })
    ])
    expect(await look({ web: counted }, 'prod/web', 'prod/gone')).toEqual([
      { state: 'in-progress', progress: expect.any(String), runningCount: 1, desiredCount: 3 },
      { state: 'failed', reason: 'service disappeared (MISSING)' }
    ])
  })

  it('gives no counts, note or previous tasks to a failure, nor previous tasks to a deployment still in progress', async () => {
    const criteria = {
      deploymentConfiguration: { earlySuccessCriteria: { enable: true, sourceServiceRevisionCleanup: 'DEFERRED' as const } }
    }
    const failed = service(
      'bad',
      [deployment('ecs-svc/bad-new', { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start', desiredCount: 0 })],
      criteria
    )
    const going = service('slow', [deployment('ecs-svc/slow-new', { runningCount: 1, desiredCount: 0 })], criteria)
    const [bad, slow] = await look({ bad: failed, slow: going }, 'prod/bad', 'prod/slow')
    expect(bad).toEqual({ state: 'failed', reason: expect.stringContaining('tasks failed to start') })
    expect(slow).toEqual({ state: 'in-progress', progress: expect.any(String), runningCount: 1, desiredCount: 0 })
  })

  it('does not await previous tasks with early success criteria at 100% healthy and BLOCKING clean-up', async () => {
    const done = (name: string, criteria: Record<string, unknown>) =>
      service(name, [deployment(`ecs-svc/${name}-new`, { rolloutState: 'COMPLETED', runningCount: 2 })], {
        deploymentConfiguration: { earlySuccessCriteria: { enable: true, sourceServiceRevisionCleanup: 'BLOCKING', ...criteria } }
      })
    expect(await look({ full: done('full', { healthyPercent: 100 }), unset: done('unset', {}) }, 'prod/full', 'prod/unset')).toEqual([
      { state: 'succeeded', runningCount: 2, desiredCount: 2 },
      { state: 'succeeded', runningCount: 2, desiredCount: 2 }
    ])
  })

  it('starts following the PRIMARY deployment UpdateService answers with, wherever it is listed, and refuses an answer without one', async () => {
    ecsMock.on(UpdateServiceCommand).callsFake(async (input: { service?: string }) => ({
      service: service(input.service as string, [
        deployment('ecs-svc/old', { status: 'ACTIVE', rolloutState: 'COMPLETED' }),
        ...(input.service === 'web' ? [deployment('ecs-svc/web-new', { runningCount: 0, desiredCount: 2 })] : [])
      ])
    }))
    expect(await rollingKind().start(refs('prod/web')[0], ctx)).toEqual({
      deploymentId: 'ecs-svc/web-new',
      createdAt: undefined,
      runningCount: 0,
      desiredCount: 2
    })
    await expect(rollingKind().start(refs('prod/none')[0], ctx)).rejects.toThrow(new Error('UpdateService returned no PRIMARY deployment'))
  })
})
