import { AwsError, invalidParameter } from '../aws-error.js'
import type { Call, Input, Operation } from '../operations.js'
import { page, seconds, type EcsState, type Service } from './state.js'

// Tasks: ListTasks and DescribeTasks, the services' tasks as deployments started and stopped them.

export const TASK_OPERATIONS: Operation<EcsState>[] = [
  { name: 'ListTasks', write: false, handler: listTasks },
  { name: 'DescribeTasks', write: false, handler: describeTasks }
]

function listTasks(state: EcsState, input: Input, { region, account }: Call) {
  const cluster = state.cluster(input.cluster, region, account)
  const desired = String(input.desiredStatus ?? 'RUNNING')
  const services = input.serviceName ? [state.service(cluster, input.serviceName)].filter(Boolean) : cluster.services
  if (input.serviceName && services.length === 0) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  const arns: string[] = []
  for (const s of services as Service[]) {
    for (const t of s.tasks) if ((desired === 'STOPPED') === (t.lastStatus === 'STOPPED')) arns.push(t.arn)
  }
  // Pages of up to maxResults (100 at most), the rest behind a nextToken, as ECS answers.
  const { items, nextToken } = page(arns, input.nextToken, Math.min(100, Number(input.maxResults ?? 100)))
  return { taskArns: items, nextToken }
}

function describeTasks(state: EcsState, input: Input, { region, account }: Call) {
  const cluster = state.cluster(input.cluster, region, account)
  const wanted = (input.tasks as string[] | undefined) ?? []
  if (wanted.length === 0 || wanted.length > 100) throw invalidParameter('tasks can have at most 100 items and must not be empty.')
  const all = cluster.services.flatMap((s) => s.tasks.map((t) => ({ t, s })))
  const tasks: unknown[] = []
  const failures: unknown[] = []
  for (const id of wanted) {
    const found = all.find(({ t }) => t.arn === id || t.arn.endsWith(`/${id}`))
    if (!found) failures.push({ arn: id, reason: 'MISSING' })
    else
      tasks.push({
        taskArn: found.t.arn,
        clusterArn: cluster.arn,
        group: `service:${found.s.name}`,
        startedBy: found.t.startedBy,
        taskDefinitionArn: found.t.taskDefinitionArn,
        lastStatus: found.t.lastStatus,
        desiredStatus: found.t.lastStatus,
        startedAt: found.t.startedAt === undefined ? undefined : seconds(found.t.startedAt),
        stoppedAt: found.t.stoppedAt === undefined ? undefined : seconds(found.t.stoppedAt),
        stoppedReason: found.t.stoppedReason,
        launchType: 'FARGATE'
      })
  }
  return { tasks, failures }
}
