import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type DescribeTasksCommandInput,
  type ListTasksCommandInput,
  type Task
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { refs } from '../../../__fixtures__/ecs.js'
import { judgeTasks, proveRollouts } from '../../../src/ecs/rollout-proof.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client
const secretAt = new Date(Date.UTC(2026, 0, 1, 12))
const after = new Date(secretAt.getTime() + 60_000)

/** Running tasks per cluster; ListTasks pages and DescribeTasks answer from them and from their input. */
function cluster(tasks: Record<string, Task[]>) {
  const arn = (c: string, i: number) => `arn:aws:ecs:eu-west-1:123456789012:task/${c}/t${i}`
  const all = Object.fromEntries(Object.entries(tasks).map(([c, list]) => [c, list.map((t, i) => ({ ...t, taskArn: arn(c, i) }))]))
  ecsMock.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => {
    listed.push({ ...input })
    const mine = (all[input.cluster as string] ?? []).filter((t) => !input.serviceName || t.group === `service:${input.serviceName}`)
    const start = Number(input.nextToken ?? 0)
    const size = input.maxResults ?? 100
    const next = start + size < mine.length ? String(start + size) : undefined
    return { taskArns: mine.slice(start, start + size).map((t) => t.taskArn), nextToken: next }
  })
  ecsMock.on(DescribeTasksCommand).callsFake((input: DescribeTasksCommandInput) => {
    if ((input.tasks ?? []).length > 100) throw new Error('at most 100 tasks')
    return { tasks: (all[input.cluster as string] ?? []).filter((t) => input.tasks?.includes(t.taskArn as string)), failures: [] }
  })
}

const task = (service: string, deployment: string, startedAt = after): Task => ({
  group: `service:${service}`,
  startedBy: deployment,
  startedAt
})
/** ListTasks inputs as sent (the paginator reuses one input object). */
let listed: ListTasksCommandInput[] = []
const described = () => ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input)

beforeEach(() => {
  ecsMock.reset()
  listed = []
})

describe('proveRollouts', () => {
  it('proves the services of a cluster with one listing and one DescribeTasks per 100 tasks', async () => {
    const many = Array.from({ length: 150 }, (_, i) => task(`s${i % 50}`, `ecs-svc/s${i % 50}`))
    cluster({ big: [...many, task('other', 'ecs-svc/x')], small: [task('solo', 'ecs-svc/solo'), task('noise', 'ecs-svc/n')] })
    const subjects = [
      ...refs('big/s1\nbig/s2\nbig/s3').map((ref) => ({ ref, deploymentId: `ecs-svc/${ref.service}`, desiredCount: 3 })),
      ...refs('small/solo').map((ref) => ({ ref, deploymentId: 'ecs-svc/solo', desiredCount: 1 }))
    ]
    const proofs = await proveRollouts(ecs, subjects, secretAt)

    expect([...proofs].map(([ref, proof]) => [ref.label, proof])).toEqual([
      ['big/s1', { proven: 3, total: 3, problem: undefined }],
      ['big/s2', { proven: 3, total: 3, problem: undefined }],
      ['big/s3', { proven: 3, total: 3, problem: undefined }],
      ['small/solo', { proven: 1, total: 1, problem: undefined }]
    ])
    // big: 151 tasks -> 2 pages of the whole cluster, 2 DescribeTasks; small: one service, listed alone.
    expect(listed.map((i) => [i.cluster, i.serviceName, i.desiredStatus, i.nextToken])).toEqual([
      ['big', undefined, 'RUNNING', undefined],
      ['small', 'solo', 'RUNNING', undefined],
      ['big', undefined, 'RUNNING', '100']
    ])
    expect(described().map((i) => [i.cluster, i.tasks?.length])).toEqual([
      ['small', 1],
      ['big', 100],
      ['big', 51]
    ])
  })

  it("says which tasks do not prove a service's rollout", async () => {
    cluster({
      prod: [
        task('api', 'ecs-svc/new'),
        task('api', 'ecs-svc/old'),
        task('web', 'ecs-svc/web', new Date(secretAt.getTime() - 1000)),
        task('web', 'ecs-svc/web')
      ]
    })
    const proofs = await proveRollouts(
      ecs,
      [
        { ref: refs('prod/api')[0], deploymentId: 'ecs-svc/new', desiredCount: 2 },
        { ref: refs('prod/web')[0], deploymentId: 'ecs-svc/web', desiredCount: 2 },
        { ref: refs('prod/empty')[0], deploymentId: 'ecs-svc/e', desiredCount: 1 }
      ],
      secretAt
    )
    expect([...proofs.values()]).toEqual([
      { proven: 1, total: 2, problem: '1 running tasks are not from deployment ecs-svc/new (e.g. t1)' },
      { proven: 1, total: 2, problem: '1 tasks started before the new secret version (e.g. t2)' },
      { proven: 0, total: 0, problem: 'no running task found' }
    ])
  })

  it('answers an Error for every service of a cluster that could not be read, and proves the others', async () => {
    cluster({ ok: [task('a', 'ecs-svc/a')] })
    ecsMock
      .on(ListTasksCommand, { cluster: 'gone' })
      .rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }))
    const proofs = await proveRollouts(ecs, [
      ...refs('gone/x\ngone/y').map((ref) => ({ ref, deploymentId: 'd', desiredCount: 1 })),
      { ref: refs('ok/a')[0], deploymentId: 'ecs-svc/a', desiredCount: 1 }
    ])
    expect([...proofs.values()].map((p) => (p instanceof Error ? p.message : (p.problem ?? 'proven')))).toEqual([
      'Cluster not found.',
      'Cluster not found.',
      'proven'
    ])
  })
})

describe('judgeTasks', () => {
  it('needs no task when none is desired', () => {
    expect(judgeTasks([], { deploymentId: 'd', desiredCount: 0 })).toEqual({ proven: 0, total: 0, problem: undefined })
  })

  it('notes previous tasks it need not wait for (bake time), and waits for those ECS removes (early success)', () => {
    const tasks: Task[] = [
      { startedBy: 'd', taskArn: 'arn/t1' },
      { startedBy: 'old', taskArn: 'arn/t2' }
    ]
    const bake = { why: 'bake time: they get no production traffic', awaited: false }
    expect(judgeTasks(tasks, { deploymentId: 'd', desiredCount: 2, previousTasks: bake })).toEqual({
      proven: 1,
      total: 2,
      note: '1 tasks of the previous revision still run (bake time: they get no production traffic)'
    })
    const early = { why: 'early success criteria: the deployment completed at 50% healthy', awaited: true }
    expect(judgeTasks(tasks, { deploymentId: 'd', desiredCount: 2, previousTasks: early })).toEqual({
      proven: 1,
      total: 2,
      note: '1 tasks of the previous revision still run, 1 of 2 new tasks are not running yet (early success criteria: the deployment completed at 50% healthy)',
      settling: true
    })
    // Nothing left: proven without a note.
    expect(
      judgeTasks([tasks[0], { ...tasks[0], taskArn: 'arn/t3' }], { deploymentId: 'd', desiredCount: 2, previousTasks: early })
    ).toEqual({
      proven: 2,
      total: 2
    })
    // Without a reason for them, previous tasks are a problem, and nothing settles.
    expect(judgeTasks(tasks, { deploymentId: 'd', desiredCount: 2 })).toEqual({
      proven: 1,
      total: 2,
      problem: '1 running tasks are not from deployment d (e.g. t2)'
    })
  })

  it('counts a task without startedAt as started before the secret', () => {
    expect(judgeTasks([{ startedBy: 'd', taskArn: 'arn/t9' }], { deploymentId: 'd' }, secretAt).problem).toBe(
      '1 tasks started before the new secret version (e.g. t9)'
    )
  })
})
