import type { ServiceRef } from '../service-list.js'
import type { RolloutProof } from './rollout-proof.js'
import type { SecretReference } from './secret-references.js'

/**
 * succeeded: the new deployment rolled out. failed: it did not (and why). timed-out: still rolling
 * out at deployment-timeout. started: redeploy requested, not waited for (or the run was
 * cancelled). skipped: not redeployed because an earlier stage failed. planned: dry-run, would be
 * redeployed.
 */
export type ServiceStatus = 'succeeded' | 'failed' | 'timed-out' | 'started' | 'skipped' | 'planned'

/**
 * Why tasks of the previous revision may still run after ECS called a deployment a success.
 * `awaited`: ECS is still removing them (early success criteria), so the rollout proof waits for
 * them within deployment-timeout. Otherwise (bake time, after `wait-until: traffic-shifted`) the
 * user chose not to wait, and the proof only notes them.
 */
export interface PreviousTasks {
  why: string
  awaited: boolean
}

/**
 * One service as the report shows it: a snapshot of its state (`ServiceTracker.outcome`),
 * never written to by the stages.
 */
export interface ServiceOutcome {
  ref: ServiceRef
  status: ServiceStatus
  /** How it is (or would be) redeployed: the kind's description, decided at preflight. */
  kind?: string
  deploymentId?: string
  /** What the new tasks carry in `startedBy`, when not `deploymentId` (a CodeDeploy task set's id). */
  tasksStartedBy?: string
  /** Tasks of the previous revision that may still run after the success, and why. */
  previousTasks?: PreviousTasks
  /** When the redeploy was accepted, on this action's clock (durations are measured from it). */
  startedAt?: number
  /** When AWS created the deployment (filters events and tasks that belong to it). */
  deploymentCreatedAt?: Date
  durationSeconds?: number
  /** Of our deployment, not the service (which mixes deployments while rolling out). */
  runningCount?: number
  desiredCount?: number
  reason?: string
  /** Set when discovery found the service: the container secrets that read the secret. */
  discoveredBy?: SecretReference[]
  /** With verify-rollout: how many running tasks are proven to carry the new value. */
  proof?: RolloutProof
}

/** A service whose deployment ended badly: it failed, or was still rolling out at the deadline. */
export function hasFailed(outcome: ServiceOutcome): boolean {
  return outcome.status === 'failed' || outcome.status === 'timed-out'
}
