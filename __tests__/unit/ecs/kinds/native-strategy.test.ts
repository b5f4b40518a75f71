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
import { fakeClock } from '../../../../__fixtures__/clock.js'
import { deployment, refs, service } from '../../../../__fixtures__/ecs.js'
import type { KindContext } from '../../../../src/ecs/kinds/kind.js'
import { nativeStrategyKind, observeRecord } from '../../../../src/ecs/kinds/native-strategy.js'
import type { ServiceOutcome } from '../../../../src/ecs/outcome.js'

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

const outcome = (label: string, deploymentId: string, fields: Partial<ServiceOutcome> = {}): ServiceOutcome => ({
  ref: refs(label)[0],
  status: 'started',
  deploymentId,
  ...fields
})

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

describe('the native-strategy kind: the service-deployment record', () => {
  it('shows the lifecycle stage while waiting, and a pause hook awaiting action', () => {
    expect(observeRecord(record({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }))).toEqual({
      state: 'in-progress',
      progress: 'BAKE_TIME, 3/4 running',
      runningCount: 3,
      desiredCount: 4
    })
    const paused = observeRecord(
      record({
        status: 'IN_PROGRESS',
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ targetType: 'PAUSE', status: 'AWAITING_ACTION' }]
      })
    )
    expect(paused).toMatchObject({
      progress: 'paused at a pause hook in POST_TEST_TRAFFIC_SHIFT (awaiting ContinueServiceDeployment), 3/4 running'
    })
  })

  it('fails every rollback and stop, quoting statusReason, the rollback reason, the alarms and the circuit breaker', () => {
    const failed = observeRecord(
      record({
        status: 'ROLLBACK_SUCCESSFUL',
        statusReason: 'CloudWatch alarm(s) web-5xx in ALARM state.',
        rollback: { reason: 'CloudWatch alarm triggered a rollback.' },
        alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx', 'web-p99'], triggeredAlarmNames: ['web-5xx'] },
        deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 }
      })
    )
    expect(failed).toEqual({
      state: 'failed',
      reason:
        'service deployment ROLLBACK_SUCCESSFUL: CloudWatch alarm(s) web-5xx in ALARM state.; rollback: CloudWatch alarm triggered a rollback.; alarms in ALARM: web-5xx'
    })
    for (const status of ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'STOPPED', 'STOP_REQUESTED'] as const) {
      expect(observeRecord(record({ status })).state).toBe('failed')
    }
    expect(
      observeRecord(
        record({ status: 'ROLLBACK_IN_PROGRESS', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } })
      )
    ).toMatchObject({
      reason: 'service deployment ROLLBACK_IN_PROGRESS; circuit breaker: 3 failed tasks of a threshold of 3'
    })
    expect(observeRecord(record({ status: 'SUCCESSFUL' }))).toEqual({ state: 'succeeded', runningCount: 3, desiredCount: 4 })
  })

  it('with wait-until traffic-shifted, counts a deployment in its bake time as rolled out, and says the bake goes on', () => {
    expect(observeRecord(record({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }), 'traffic-shifted')).toEqual({
      state: 'succeeded',
      runningCount: 3,
      desiredCount: 4,
      note: 'production traffic shifted; ECS is still in BAKE_TIME',
      previousTasks: { why: 'bake time: they get no production traffic', awaited: false }
    })
    expect(observeRecord(record({ status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' }), 'traffic-shifted').state).toBe(
      'in-progress'
    )
  })

  it('follows the deployment UpdateService named, and falls back to deployments[] with one warning when the record is not permitted', async () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/abc'
    ecsMock.on(UpdateServiceCommand).resolves({
      service: service('web', [deployment('ecs-svc/new'), deployment('ecs-svc/old', { status: 'ACTIVE' })], {
        currentServiceDeployment: arn
      })
    })
    const kind = nativeStrategyKind('CANARY')
    expect(kind.description).toBe('ECS canary (forced new deployment)')
    const [web] = refs('prod/web')
    expect((await kind.start(web, ctx)).deploymentId).toBe('ecs-svc/new')
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [record({ serviceDeploymentArn: arn, status: 'IN_PROGRESS', lifecycleStage: 'TEST_TRAFFIC_SHIFT' })]
    })
    const o = outcome('prod/web', 'ecs-svc/new')
    expect((await kind.observe([o], ctx)).get(o.ref)).toMatchObject({ state: 'in-progress', progress: 'TEST_TRAFFIC_SHIFT, 3/4 running' })

    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: ecs:DescribeServiceDeployments'), { name: 'AccessDeniedException' }))
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [service('web', [deployment('ecs-svc/new', { rolloutState: 'COMPLETED', runningCount: 2 })])] })
    expect((await kind.observe([o], ctx)).get(o.ref)).toMatchObject({ state: 'succeeded' })
    await kind.observe([o], ctx)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^prod\/web: ecs:DescribeServiceDeployments failed \(AccessDeniedException: .*\); following it through deployments\[\] instead: its lifecycle stage/
      )
    ])
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(2)
  })

  it('falls back for a deployment ECS keeps no record of (MISSING)', async () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/gone'
    ecsMock.on(UpdateServiceCommand).resolves({ service: service('web', [deployment('ecs-svc/new')], { currentServiceDeployment: arn }) })
    const kind = nativeStrategyKind('BLUE_GREEN')
    await kind.start(refs('prod/web')[0], ctx)
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [], failures: [{ arn, reason: 'MISSING' }] })
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service('web', [deployment('ecs-svc/new', { runningCount: 1 })])] })
    const o = outcome('prod/web', 'ecs-svc/new')
    expect((await kind.observe([o], ctx)).get(o.ref)).toMatchObject({ state: 'in-progress' })
    expect(warnings).toEqual([
      expect.stringContaining('no service-deployment record of the deployment (DescribeServiceDeployments: MISSING)')
    ])
  })
})
