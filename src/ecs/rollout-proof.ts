import { chunks, groupBy } from '../collections.js'
import { clusterKey } from './batches.js'
import { DescribeTasksCommand, paginateListTasks, type ECSClient, type Task } from '@aws-sdk/client-ecs'
import type { Place } from '../aws/place.js'
import type { ServiceRef } from '../service-list.js'
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
  /**
   * What the note says is still going away on its own (early success criteria: ECS removes the
   * previous tasks and scales up the new revision after the success): worth looking again.
   */
  settling?: boolean
}

/** What a proof needs of a service that rolled out: the deployment its tasks must come from. */
export type ProofSubject = Pick<ServiceOutcome, 'ref' | 'deploymentId' | 'desiredCount' | 'tasksStartedBy' | 'previousTasks'>

/** Proves one service from its own running tasks (ListTasks for the service, then DescribeTasks). */
export async function proveRollout(ecs: ECSClient, outcome: ProofSubject, secretCreatedAt?: Date): Promise<RolloutProof> {
  const tasks = await runningTasks(ecs, outcome.ref.cluster, outcome.ref.service)
  return judgeTasks(tasks, outcome, secretCreatedAt)
}

/**
 * Proves many services at once, a cluster at a time, for the poller's verify hook: one listing
 * of the cluster's running tasks (paginated) and DescribeTasks 100 tasks a call, instead of both
 * calls for each service. A cluster with a single service to prove lists only that service's
 * tasks (cheaper in a big cluster). Every service gets an answer, in the order given: its proof,
 * or the Error that kept its cluster from being read.
 */
export async function proveRollouts(
  ecs: (place: Place) => ECSClient,
  subjects: readonly ProofSubject[],
  secretCreatedAt?: Date
): Promise<Map<ServiceRef, RolloutProof | Error>> {
  const clusters = groupBy(subjects, (s) => clusterKey(s.ref))
  const answers = new Map<ServiceRef, RolloutProof | Error>()
  await Promise.all(
    [...clusters.values()].map(async (group) => {
      const { ref } = group[0]
      try {
        const only = group.length === 1 ? ref.service : undefined
        const tasks = await runningTasks(ecs(ref), ref.cluster, only)
        // A service's tasks carry `service:<name>` as their group.
        const byService = groupBy(tasks, (task) => only ?? (task.group?.startsWith('service:') ? task.group.slice('service:'.length) : ''))
        for (const s of group) answers.set(s.ref, judgeTasks(byService.get(s.ref.service) ?? [], s, secretCreatedAt))
      } catch (error) {
        for (const s of group) answers.set(s.ref, error instanceof Error ? error : new Error(String(error)))
      }
    })
  )
  return new Map(subjects.map((s) => [s.ref, answers.get(s.ref) as RolloutProof | Error]))
}

async function runningTasks(ecs: ECSClient, cluster: string, serviceName?: string): Promise<Task[]> {
  const arns: string[] = []
  for await (const page of paginateListTasks({ client: ecs, pageSize: 100 }, { cluster, serviceName, desiredStatus: 'RUNNING' })) {
    arns.push(...(page.taskArns ?? []))
  }
  const described = await Promise.all(
    chunks(arns, DESCRIBE_TASKS_MAX).map((tasks) => ecs.send(new DescribeTasksCommand({ cluster, tasks })))
  )
  return described.flatMap((out) => out.tasks ?? [])
}

/**
 * Whether a service's running tasks prove it runs the new value: each was started by the new
 * deployment (`startedBy` is the deployment id, or the id of the task set a CodeDeploy deployment
 * created) and after the secret version was created.
 */
export function judgeTasks(tasks: readonly Task[], subject: Omit<ProofSubject, 'ref'>, secretCreatedAt?: Date): RolloutProof {
  const newTasks = subject.tasksStartedBy ?? subject.deploymentId
  const fromOtherDeployment = tasks.filter((t) => t.startedBy !== newTasks)
  const beforeSecret = tasks.filter((t) => secretCreatedAt && t.startedBy === newTasks && (!t.startedAt || t.startedAt < secretCreatedAt))
  const proven = tasks.length - fromOtherDeployment.length - beforeSecret.length
  const problems: string[] = []
  if (tasks.length === 0 && (subject.desiredCount ?? 0) > 0) problems.push('no running task found')
  const previous = subject.previousTasks
  if (fromOtherDeployment.length && !previous)
    problems.push(
      `${fromOtherDeployment.length} running tasks are not from deployment ${newTasks} (e.g. ${shortId(fromOtherDeployment[0])})`
    )
  if (beforeSecret.length)
    problems.push(`${beforeSecret.length} tasks started before the new secret version (e.g. ${shortId(beforeSecret[0])})`)
  // With early success ECS also scales the new revision up to desiredCount after the success.
  const desired = subject.desiredCount ?? 0
  const missing = previous?.awaited && proven < desired ? desired - proven : 0
  const left = [
    previous && fromOtherDeployment.length ? `${fromOtherDeployment.length} tasks of the previous revision still run` : undefined,
    missing ? `${missing} of ${desired} new tasks are not running yet` : undefined
  ].filter(Boolean)
  return {
    proven,
    total: tasks.length,
    problem: problems.length ? problems.join('; ') : undefined,
    ...(left.length ? { note: `${left.join(', ')} (${previous?.why})` } : {}),
    ...(left.length && previous?.awaited && !problems.length ? { settling: true } : {})
  }
}

function shortId(task: Task): string {
  return task.taskArn?.split('/').pop() ?? 'unknown task'
}
