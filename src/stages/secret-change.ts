import type { AwsClients } from '../aws/clients.js'
import type { StageContext } from '../run/context.js'
import { applySecretChange, type SecretResult } from '../secret/apply.js'
import type { SecretPlan } from '../secret/prepare.js'
import type { Settings } from '../settings/index.js'

/**
 * Writes the planned change (or waits for the one an earlier attempt, or a running rotation,
 * made) until the new version is AWSCURRENT. `onWritten` hears as soon as the write was
 * answered, so a cancelled run can report the version it made.
 */
export async function secretChangeStage(
  ctx: StageContext,
  settings: Settings,
  sm: ReturnType<AwsClients['secretsManager']>,
  plan: SecretPlan,
  onWritten: (partial: SecretResult) => void
): Promise<SecretResult> {
  ctx.log.info(
    `${plan.mode === 'put' ? 'Putting a new value into' : 'Rotating'} ${plan.name} (AWSCURRENT is ${plan.baseVersionId ?? 'unset'})`
  )
  return applySecretChange(sm, plan, {
    clock: ctx.clock,
    rotationTimeoutSeconds: settings.rotationTimeoutSeconds,
    log: ctx.log.info,
    signal: ctx.signal,
    writes: ctx.writes,
    onWritten
  })
}
