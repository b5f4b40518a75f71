import type { BucketUsage } from '../aws/api-budget.js'
import type { Mode } from '../constants.js'
import { hasFailed, type ServiceOutcome } from '../ecs/outcome.js'
import type { SecretResult } from '../secret/apply.js'
import type { SecretRollback } from '../secret/rollback.js'
import type { SecretPlan } from '../secret/prepare.js'
import type { Discovery } from '../ecs/discover.js'
import type { RunContext } from '../settings/index.js'

/** Everything the step reports, gathered from the stages' result objects. */
export interface RunReport {
  mode?: Mode
  secretId?: string
  secret?: SecretResult
  services: ServiceOutcome[]
  waited: boolean
  /** With rollback-on-failure: AWSCURRENT moved back, and the services redeployed again. */
  rollback?: { secret: SecretRollback; services: ServiceOutcome[] }
  /** With discover-services: what the search found. */
  discovery?: Discovery
  /** With dry-run: what would be changed (the secret part; services are in `services`). */
  plan?: { secret?: SecretPlan }
  /**
   * A stage that stopped the run (bad input, credentials, pre-check, preflight) or cancelled it:
   * the stage as title, and the error's class or AWS error name.
   */
  error?: { title: string; message: string; name?: string }
  run?: RunContext
  /** What the reads took from the account's ECS buckets, under `api-budget`. */
  api?: { sharePercent: number; usage: BucketUsage[] }
}

export type Result = 'succeeded' | 'failed' | 'planned'

export function resultOf(report: RunReport): Result {
  // A rollback means the change did not go out, whatever the second round did.
  if (report.error || report.rollback) return 'failed'
  if (report.plan) return 'planned'
  if (report.secret && report.secret.status !== 'succeeded') return 'failed'
  const ok = report.waited ? ['succeeded'] : ['succeeded', 'started']
  return report.services.every((s) => ok.includes(s.status)) ? 'succeeded' : 'failed'
}

export function failedServices(report: RunReport): ServiceOutcome[] {
  return report.services.filter(hasFailed)
}

export function runUrl(run: RunContext | undefined): string | undefined {
  if (!run?.id || !run.repository) return undefined
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.id}/attempts/${run.attempt}`
}
