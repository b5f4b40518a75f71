import type { ServiceRef } from '../service-list.js'

/**
 * succeeded: the new deployment rolled out. failed: it did not (and why). timed-out: still rolling
 * out at deployment-timeout. started: redeploy requested, not waited for. skipped: not redeployed
 * because an earlier stage failed.
 */
export type ServiceStatus = 'succeeded' | 'failed' | 'timed-out' | 'started' | 'skipped'

export interface ServiceOutcome {
  ref: ServiceRef
  status: ServiceStatus
  deploymentId?: string
  /** When UpdateService answered, on this action's clock (durations are measured from it). */
  startedAt?: number
  /** When ECS created the deployment, from the UpdateService answer (filters events and tasks). */
  deploymentCreatedAt?: Date
  durationSeconds?: number
  runningCount?: number
  desiredCount?: number
  reason?: string
}
