import type { ServiceRef } from '../service-list.js'
import type { RolloutProof } from './rollout-proof.js'
import type { SecretReference } from './secret-references.js'

/**
 * succeeded: the new deployment rolled out. failed: it did not (and why). timed-out: still rolling
 * out at deployment-timeout. started: redeploy requested, not waited for. skipped: not redeployed
 * because an earlier stage failed. planned: dry-run, would be redeployed.
 */
export type ServiceStatus = 'succeeded' | 'failed' | 'timed-out' | 'started' | 'skipped' | 'planned'

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
  /** Set when discovery found the service: the container secrets that read the secret. */
  discoveredBy?: SecretReference[]
  /** With verify-rollout: how many running tasks are proven to carry the new value. */
  proof?: RolloutProof
}
