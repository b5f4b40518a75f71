import { DescribeTasksCommand, paginateListTasks, type ECSClient, type Task } from '@aws-sdk/client-ecs'
import type { ServiceRef } from '../service-list.js'
import type { Place } from './kinds/kind.js'
import type { ServiceOutcome } from './outcome.js'

const DESCRIBE_TASKS_MAX = 100

export interface RolloutProof {
  /** Running tasks that belong to the new deployment and started after the new secret version. */
  proven: number
  total: number
  /** Why the tasks do not prove the rollout, if they do not. */
  problem?: string
  /** What else runs that does not disprove it (tasks of the previous revision during bake time). */
  note?: string
}

/**
 * Proves a succeeded service runs the new value: every running task was started by the new
 * deployment (`startedBy` is the deployment id, or the id of the task set a CodeDeploy deployment
 * created) and after the secret version was created.
 */
export async function proveRollout(ecs: ECSClient, outcome: ServiceOutcome, secretCreatedAt?: Date): Promise<RolloutProof> {
  const { cluster, service } = outcome.ref
  const newTasks = outcome.tasksStartedBy ?? outcome.deploymentId
  const arns: string[] = []
  for await (const page of paginateListTasks({ client: ecs, pageSize: 100 }, { cluster, serviceName: service, desiredStatus: 'RUNNING' })) {
    arns.push(...(page.taskArns ?? []))
  }
  const tasks: Task[] = []
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX) {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_MAX) }))
    tasks.push(...(out.tasks ?? []))
  }
  const fromOtherDeployment = tasks.filter((t) => t.startedBy !== newTasks)
  const beforeSecret = tasks.filter((t) => secretCreatedAt && t.startedBy === newTasks && (!t.startedAt || t.startedAt < secretCreatedAt))
  const proven = tasks.length - fromOtherDeployment.length - beforeSecret.length
  const problems: string[] = []
  if (tasks.length === 0 && (outcome.desiredCount ?? 0) > 0) problems.push('no running task found')
  const remain = outcome.previousTasksRemain && fromOtherDeployment.length > 0
  const note = remain
    ? `${fromOtherDeployment.length} tasks of the previous revision still run (${outcome.previousTasksRemain})`
    : undefined
  if (fromOtherDeployment.length && !remain)
    problems.push(
      `${fromOtherDeployment.length} running tasks are not from deployment ${newTasks} (e.g. ${shortId(fromOtherDeployment[0])})`
    )
  if (beforeSecret.length)
    problems.push(`${beforeSecret.length} tasks started before the new secret version (e.g. ${shortId(beforeSecret[0])})`)
  return { proven, total: tasks.length, problem: problems.length ? problems.join('; ') : undefined, note }
}

function shortId(task: Task): string {
  return task.taskArn?.split('/').pop() ?? 'unknown task'
}

/**
 * Proves many services at once, for the poller's verify hook: one answer per service, an Error
 * where its tasks could not be read.
 */
export async function proveRollouts(
  ecs: (place: Place) => ECSClient,
  outcomes: readonly ServiceOutcome[],
  secretCreatedAt?: Date
): Promise<Map<ServiceRef, RolloutProof | Error>> {
  const proofs = await Promise.all(
    outcomes.map((o) =>
      proveRollout(ecs(o.ref), o, secretCreatedAt).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    )
  )
  return new Map(outcomes.map((o, i) => [o.ref, proofs[i]]))
}
