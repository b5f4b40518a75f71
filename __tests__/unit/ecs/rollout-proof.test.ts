import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { outcome } from '../../../__fixtures__/report.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'
import { proveRollout } from '../../../src/ecs/rollout-proof.js'
import { parseServiceList } from '../../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const secretCreatedAt = new Date('2026-01-01T00:00:00Z')
const after = new Date('2026-01-01T00:01:00Z')
const before = new Date('2025-12-31T23:59:00Z')
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod'

/**
 * The running tasks of each `cluster/service`, answered only for what was asked: ListTasks by
 * cluster and service (100 a page), DescribeTasks by cluster and task ARN.
 */
function runningTasks(byService: Record<string, Omit<Task, 'taskArn'>[]>) {
  const all = new Map<string, Task>()
  const arnsOf = new Map<string, string[]>()
  for (const [key, tasks] of Object.entries(byService)) {
    const arns = tasks.map((t, i) => {
      const arn = `${TASK}/${key.replace('/', '-')}-${i}`
      all.set(arn, { ...t, taskArn: arn, clusterArn: key.split('/')[0] })
      return arn
    })
    arnsOf.set(key, arns)
  }
  ecsMock.on(ListTasksCommand).callsFake(async (input) => {
    expect(input.desiredStatus).toBe('RUNNING')
    const arns = arnsOf.get(`${input.cluster}/${input.serviceName}`) ?? []
    const start = Number(input.nextToken ?? 0)
    const page = arns.slice(start, start + (input.maxResults ?? 100))
    return { taskArns: page, nextToken: start + page.length < arns.length ? String(start + page.length) : undefined }
  })
  ecsMock.on(DescribeTasksCommand).callsFake(async (input: { cluster?: string; tasks?: string[] }) => {
    expect(input.tasks?.length).toBeLessThanOrEqual(100)
    return { tasks: (input.tasks ?? []).map((arn) => all.get(arn)).filter((t) => t?.clusterArn === input.cluster) }
  })
}

const ours = (desiredCount = 2) => outcome('prod/api', 'succeeded', { deploymentId: 'ecs-svc/new', desiredCount })

beforeEach(() => {
  ecsMock.reset()
})

describe('proveRollout', () => {
  it('does not count a service with no running task as proven', async () => {
    runningTasks({ 'prod/other': [{ startedBy: 'ecs-svc/new', startedAt: after }] })
    expect(await proveRollout(client, ours(), secretCreatedAt)).toEqual({ proven: 0, total: 0, problem: 'no running task found' })
  })

  it('has nothing to prove for a service scaled to zero', async () => {
    runningTasks({})
    expect(await proveRollout(client, ours(0), secretCreatedAt)).toEqual({ proven: 0, total: 0, problem: undefined })
  })

  it('proves the tasks of this service only, and names every kind of problem at once', async () => {
    runningTasks({
      'prod/api': [
        { startedBy: 'ecs-svc/new', startedAt: after },
        { startedBy: 'ecs-svc/old', startedAt: after },
        { startedBy: 'ecs-svc/new', startedAt: before },
        { startedBy: 'ecs-svc/new' }
      ],
      'prod/pdf': [{ startedBy: 'ecs-svc/old', startedAt: before }]
    })
    expect(await proveRollout(client, ours(), secretCreatedAt)).toEqual({
      proven: 1,
      total: 4,
      problem:
        '1 running tasks are not from deployment ecs-svc/new (e.g. prod-api-1); 2 tasks started before the new secret version (e.g. prod-api-2)'
    })
  })

  it('without the secret version’s creation time, proves by deployment alone', async () => {
    runningTasks({ 'prod/api': [{ startedBy: 'ecs-svc/new', startedAt: before }, { startedBy: 'ecs-svc/new' }] })
    expect(await proveRollout(client, ours(), undefined)).toEqual({ proven: 2, total: 2, problem: undefined })
  })

  it('counts a task started at the very moment the version was created as carrying it', async () => {
    runningTasks({ 'prod/api': [{ startedBy: 'ecs-svc/new', startedAt: secretCreatedAt }] })
    expect(await proveRollout(client, ours(1), secretCreatedAt)).toEqual({ proven: 1, total: 1, problem: undefined })
  })

  it('reads every page of a large service: 250 tasks in 3 pages and 3 DescribeTasks calls', async () => {
    runningTasks({ 'prod/api': Array.from({ length: 250 }, () => ({ startedBy: 'ecs-svc/new', startedAt: after })) })
    expect(await proveRollout(client, ours(250), secretCreatedAt)).toEqual({ proven: 250, total: 250, problem: undefined })
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(3)
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([100, 100, 50])
  })
})

describe('proveRollout, one service', () => {
  const [ref] = parseServiceList('prod/api', 'eu-west-1').services
  const outcome: ServiceOutcome = { ref, status: 'succeeded', deploymentId: 'ecs-svc/new', desiredCount: 2 }
  const secretCreatedAt = new Date('2026-01-01T00:00:00Z')
  const tasks = (...list: [string, string][]) => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: list.map((_, i) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/t${i}`) })
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: list.map(([startedBy, startedAt], i) => ({
        taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/t${i}`,
        startedBy,
        startedAt: new Date(startedAt)
      }))
    })
  }

  it('counts tasks of the new deployment started after the new secret version', async () => {
    tasks(['ecs-svc/new', '2026-01-01T00:01:00Z'], ['ecs-svc/new', '2026-01-01T00:02:00Z'])
    expect(await proveRollout(client, outcome, secretCreatedAt)).toEqual({ proven: 2, total: 2, problem: undefined })
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).toMatchObject({
      cluster: 'prod',
      serviceName: 'api',
      desiredStatus: 'RUNNING'
    })
  })

  it('names a task still running from an older deployment', async () => {
    tasks(['ecs-svc/new', '2026-01-01T00:01:00Z'], ['ecs-svc/old', '2025-12-31T00:00:00Z'])
    expect(await proveRollout(client, outcome, secretCreatedAt)).toEqual({
      proven: 1,
      total: 2,
      problem: '1 running tasks are not from deployment ecs-svc/new (e.g. t1)'
    })
  })

  it('names a task that started before the new secret version', async () => {
    tasks(['ecs-svc/new', '2025-12-31T23:59:00Z'])
    expect((await proveRollout(client, outcome, secretCreatedAt)).problem).toBe('1 tasks started before the new secret version (e.g. t0)')
  })
})
