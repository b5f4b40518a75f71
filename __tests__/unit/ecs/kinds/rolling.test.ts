import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
  type DescribeServicesCommandInput,
  type Service
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../../__fixtures__/clock.js'
import { deployment, refs, service } from '../../../../__fixtures__/ecs.js'
import type { KindContext } from '../../../../src/ecs/kinds/kind.js'
import { rollingKind } from '../../../../src/ecs/kinds/rolling.js'
import { deploymentInProgress } from '../../../../src/ecs/preflight.js'
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

const outcome = (label: string, deploymentId: string, fields: Partial<ServiceOutcome> = {}): ServiceOutcome => ({
  ref: refs(label)[0],
  status: 'started',
  deploymentId,
  ...fields
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

describe('the rolling kind and the preflight agree with ECS', () => {
  it('lets early success (DEFERRED, or healthyPercent below 100) leave previous tasks, and says a service at zero has nothing to replace', async () => {
    const done = deployment('ecs-svc/new', { rolloutState: 'COMPLETED', runningCount: 2 })
    const early = (criteria: Record<string, unknown>) =>
      service('web', [done, deployment('ecs-svc/old', { status: 'ACTIVE' })], {
        deploymentConfiguration: { earlySuccessCriteria: { enable: true, ...criteria } }
      })
    const o = outcome('prod/web', 'ecs-svc/new')
    const look = async (s: Service) => {
      ecsMock.on(DescribeServicesCommand).resolves({ services: [s] })
      return (await rollingKind().observe([o], ctx)).get(o.ref)
    }
    expect(await look(early({ sourceServiceRevisionCleanup: 'DEFERRED', healthyPercent: 100 }))).toMatchObject({
      state: 'succeeded',
      previousTasks: { why: 'early success criteria: ECS removes them after the deployment (DEFERRED)', awaited: true }
    })
    expect(await look(early({ sourceServiceRevisionCleanup: 'BLOCKING', healthyPercent: 50 }))).toMatchObject({
      previousTasks: { why: 'early success criteria: the deployment completed at 50% healthy', awaited: true }
    })
    expect(await look(early({ enable: false, sourceServiceRevisionCleanup: 'DEFERRED' }))).not.toHaveProperty('previousTasks')
    expect(
      await look(service('web', [deployment('ecs-svc/new', { rolloutState: 'COMPLETED', desiredCount: 0, runningCount: 0 })]))
    ).toEqual({
      state: 'succeeded',
      runningCount: 0,
      desiredCount: 0,
      note: 'no tasks to replace (desiredCount 0)'
    })
  })

  it('names a deployment of the service that is still in progress before redeploying it', () => {
    expect(deploymentInProgress(service('a', [deployment('ecs-svc/1', { rolloutState: 'COMPLETED' })]))).toBeUndefined()
    expect(deploymentInProgress(service('a', [deployment('ecs-svc/2'), deployment('ecs-svc/1', { status: 'ACTIVE' })]))).toBe(
      'deployment ecs-svc/2 (rollout IN_PROGRESS)'
    )
    const taskSets = [
      { id: 'ecs-svc/9', status: 'PRIMARY' },
      { id: 'ecs-svc/8', status: 'ACTIVE' }
    ]
    expect(deploymentInProgress(service('a', [], { taskSets }))).toBe('a deployment with 2 task sets (ecs-svc/9 PRIMARY, ecs-svc/8 ACTIVE)')
  })
})
