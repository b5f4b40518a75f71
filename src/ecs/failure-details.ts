import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs'
import type { ServiceOutcome } from './outcome.js'

const MAX_EVENTS = 2
const MAX_TASK_REASONS = 2

/**
 * Why a deployment failed or is stuck, in the words ECS used: the latest service events since
 * the deployment began and the stoppedReason of its stopped tasks (for example a task that could
 * not read the secret). Only called for services that did not succeed, so it is off the poll path.
 */
export async function explainDeployment(ecs: ECSClient, outcome: ServiceOutcome, service?: Service): Promise<string[]> {
  let taskReasons: string[] = []
  if (outcome.deploymentId) {
    try {
      taskReasons = await stoppedTaskReasons(ecs, outcome, outcome.deploymentId)
    } catch {
      // Task details only add to a reason we already have.
    }
  }
  // The most specific first: why tasks stopped, then events that say something new.
  const since = outcome.deploymentCreatedAt?.getTime() ?? 0
  const events = (service?.events ?? [])
    .filter((e) => (e.createdAt?.getTime() ?? 0) >= since && e.message)
    .map((e) => e.message as string)
    .filter(
      (m) => !/has reached a steady state|has started/.test(m) && !taskReasons.some((r) => m.includes(r)) && !outcome.reason?.includes(m)
    )
    .slice(0, MAX_EVENTS)
  return [...taskReasons.map((r) => `stopped task: ${r}`), ...events.map((m) => `event: ${m}`)]
}

async function stoppedTaskReasons(ecs: ECSClient, outcome: ServiceOutcome, deploymentId: string): Promise<string[]> {
  const { cluster, service } = outcome.ref
  const listed = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }))
  if (!listed.taskArns?.length) return []
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: listed.taskArns }))
  const reasons = new Set<string>()
  for (const task of tasks ?? []) {
    // Service tasks carry their deployment's id in startedBy.
    if (task.startedBy !== deploymentId) continue
    const container = task.containers?.find((c) => c.reason)?.reason
    const reason = [task.stoppedReason, container].filter(Boolean).join(' / ')
    if (reason) reasons.add(reason)
  }
  return [...reasons].slice(0, MAX_TASK_REASONS)
}
