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
}

/**
 * Proves a succeeded service runs the new value: every running task was started by the new
 * deployment (`startedBy` is the deployment id) and after the secret version was created.
 */
export async function proveRollout(ecs: ECSClient, outcome: ServiceOutcome, secretCreatedAt?: Date): Promise<RolloutProof> {
  const { cluster, service } = outcome.ref
  const arns: string[] = []
  for await (const page of paginateListTasks({ client: ecs, pageSize: 100 }, { cluster, serviceName: service, desiredStatus: 'RUNNING' })) {
    arns.push(...(page.taskArns ?? []))
  }
  const tasks: Task[] = []
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX) {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_MAX) }))
    tasks.push(...(out.tasks ?? []))
  }
  const fromOtherDeployment = tasks.filter((t) => t.startedBy !== outcome.deploymentId)
  const beforeSecret = tasks.filter(
    (t) => secretCreatedAt && t.startedBy === outcome.deploymentId && (!t.startedAt || t.startedAt < secretCreatedAt)
  )
  const proven = tasks.length - fromOtherDeployment.length - beforeSecret.length
  const problems: string[] = []
  if (tasks.length === 0 && (outcome.desiredCount ?? 0) > 0) problems.push('no running task found')
  if (fromOtherDeployment.length)
    problems.push(
      `${fromOtherDeployment.length} running tasks are not from deployment ${outcome.deploymentId} (e.g. ${shortId(fromOtherDeployment[0])})`
    )
  if (beforeSecret.length)
    problems.push(`${beforeSecret.length} tasks started before the new secret version (e.g. ${shortId(beforeSecret[0])})`)
  return { proven, total: tasks.length, problem: problems.length ? problems.join('; ') : undefined }
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
