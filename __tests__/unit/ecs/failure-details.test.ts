import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type DescribeTasksCommandInput,
  type ListTasksCommandInput,
  type ServiceEvent,
  type Task
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { refs, service } from '../../../__fixtures__/ecs.js'
import { explainDeployment } from '../../../src/ecs/failure-details.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
beforeEach(() => {
  ecsMock.reset()
})

const CREATED = Date.UTC(2026, 0, 1, 12, 0, 0)
const [API] = refs('prod/api')

function failed(fields: Partial<ServiceOutcome> = {}): ServiceOutcome {
  return {
    ref: API,
    status: 'failed',
    deploymentId: 'ecs-svc/api-new',
    deploymentCreatedAt: new Date(CREATED),
    reason: 'deployment failed: (service api) deployment ecs-svc/api-new deployment failed: tasks failed to start.',
    ...fields
  }
}

/** A task of `prod/<name>`; stopped unless `fields` say otherwise. */
function task(name: string, i: number, fields: Partial<Task>): Task {
  return {
    taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/${name}-${i}`,
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
    group: `service:${name}`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    ...fields
  }
}

/** ListTasks and DescribeTasks answer from `tasks` and their input, as ECS would (no cluster: the default one). */
function fakeTasks(tasks: Task[]) {
  const inCluster = (t: Task, cluster = 'default') => t.clusterArn === cluster || t.clusterArn?.endsWith(`:cluster/${cluster}`)
  ecsMock.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => ({
    taskArns: tasks
      .filter(
        (t) =>
          inCluster(t, input.cluster) &&
          (!input.serviceName || t.group === `service:${input.serviceName}`) &&
          t.desiredStatus === (input.desiredStatus ?? 'RUNNING')
      )
      .map((t) => t.taskArn)
  }))
  ecsMock.on(DescribeTasksCommand).callsFake((input: DescribeTasksCommandInput) => {
    if (!input.tasks?.length) throw Object.assign(new Error('Tasks cannot be empty.'), { name: 'InvalidParameterException' })
    return { tasks: tasks.filter((t) => inCluster(t, input.cluster) && input.tasks?.includes(t.taskArn as string)) }
  })
}

/** An event `seconds` after the deployment was created. */
const event = (seconds: number, message?: string): ServiceEvent => ({ createdAt: new Date(CREATED + seconds * 1000), message })

const PULL = 'ResourceInitializationError: unable to pull secrets or registry auth'
const IMAGE = 'CannotPullContainerError: pull access denied'
const EXITED = 'Essential container in task exited'

describe('explainDeployment', () => {
  it("quotes why the deployment's own stopped tasks stopped, with the container's reason, each reason once and at most two", async () => {
    fakeTasks([
      task('api', 0, {
        startedBy: 'ecs-svc/api-new',
        stoppedReason: PULL,
        containers: [{ name: 'log-router' }, { name: 'app', reason: IMAGE }]
      }),
      task('api', 1, {
        startedBy: 'ecs-svc/api-new',
        stoppedReason: PULL,
        containers: [{ name: 'log-router' }, { name: 'app', reason: IMAGE }]
      }),
      // Stopped without a word from ECS: nothing to quote.
      task('api', 2, { startedBy: 'ecs-svc/api-new', containers: [{ name: 'app' }] }),
      task('api', 3, { startedBy: 'ecs-svc/old', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/api-new)' }),
      task('api', 4, { startedBy: 'ecs-svc/api-new', stoppedReason: EXITED }),
      task('api', 5, { startedBy: 'ecs-svc/api-new', stoppedReason: 'Task failed container health checks' }),
      task('api', 6, { startedBy: 'ecs-svc/api-new', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }),
      task('web', 0, { startedBy: 'ecs-svc/web-new', stoppedReason: 'OutOfMemoryError: container killed' })
    ])
    expect(await explainDeployment(client, failed())).toEqual([`stopped task: ${PULL} / ${IMAGE}`, `stopped task: ${EXITED}`])
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'prod', serviceName: 'api', desiredStatus: 'STOPPED', maxResults: 100 }
    ])
  })

  it('does not describe tasks when the service has none stopped', async () => {
    fakeTasks([task('api', 0, { startedBy: 'ecs-svc/api-new', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' })])
    expect(await explainDeployment(client, failed())).toEqual([])
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1)
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0)
  })

  it('after the task reasons, quotes the two latest events since the deployment began that say something new', async () => {
    fakeTasks([
      task('api', 0, { startedBy: 'ecs-svc/api-new', stoppedReason: PULL }),
      task('api', 1, { startedBy: 'ecs-svc/api-new', stoppedReason: EXITED })
    ])
    // Newest first, as ECS lists them.
    const events = [
      event(60, '(service api) has reached a steady state.'),
      event(50, '(service api) has started 1 tasks: (task 0a1b).'),
      // Already in the outcome's reason.
      event(40, '(service api) deployment ecs-svc/api-new deployment failed: tasks failed to start.'),
      // Already said by a task reason.
      event(30, `(service api) (task 0a1b) stopped: ${EXITED}`),
      event(20),
      event(10, '(service api) was unable to place a task because no container instance met all of its requirements.'),
      event(5, '(service api) failed to launch a task with (error ECS was unable to assume the role).'),
      event(0, '(service api) registered 2 targets in (target-group api).')
    ]
    expect(await explainDeployment(client, failed(), service('api', [], { events }))).toEqual([
      `stopped task: ${PULL}`,
      `stopped task: ${EXITED}`,
      'event: (service api) was unable to place a task because no container instance met all of its requirements.',
      'event: (service api) failed to launch a task with (error ECS was unable to assume the role).'
    ])
  })

  it('quotes events from the moment the deployment was created on, not those of the one before', async () => {
    fakeTasks([])
    const events = [
      event(0, '(service api) was unable to place a task.'),
      event(-1, '(service api) failed to launch a task of the previous revision.'),
      event(-60, '(service api) registered 1 targets.')
    ]
    expect(await explainDeployment(client, failed(), service('api', [], { events }))).toEqual([
      'event: (service api) was unable to place a task.'
    ])
  })

  it('without a deployment id, quotes the events alone and asks ECS for no tasks', async () => {
    const events = [event(20, '(service api) has reached a steady state.'), event(10, '(service api) was unable to place a task.')]
    expect(await explainDeployment(client, failed({ deploymentId: undefined }), service('api', [], { events }))).toEqual([
      'event: (service api) was unable to place a task.'
    ])
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0)
  })

  it('still quotes the events when ECS refuses to list the stopped tasks', async () => {
    ecsMock
      .on(ListTasksCommand)
      .rejects(Object.assign(new Error('not authorized to perform: ecs:ListTasks'), { name: 'AccessDeniedException' }))
    const events = [event(10, '(service api) was unable to place a task.')]
    expect(await explainDeployment(client, failed(), service('api', [], { events }))).toEqual([
      'event: (service api) was unable to place a task.'
    ])
  })
})
