import type { AwsClients } from '../aws/clients.js'
import type { StageContext } from '../run/context.js'
import type { SecretResult } from '../secret/apply.js'
import type { SecretPlan } from '../secret/prepare.js'
import { rollBackSecret, type SecretRollback } from '../secret/rollback.js'

/**
 * rollback-on-failure, the secret's half: moves AWSCURRENT back to the version before the run.
 * The orchestrator then redeploys the services again (a new round) only if this succeeded:
 * redeploying again after a failed move would only spread the value that failed.
 */
export async function rollbackStage(
  ctx: StageContext,
  sm: ReturnType<AwsClients['secretsManager']>,
  change: SecretResult,
  plan: SecretPlan | undefined,
  failedDeployments: number
): Promise<SecretRollback> {
  ctx.log.warn(`${failedDeployments} deployments did not succeed: moving AWSCURRENT of ${change.name} back to ${change.previousVersionId}`)
  return rollBackSecret(sm, change, { writes: ctx.writes, check: plan?.rollbackCheck })
}
