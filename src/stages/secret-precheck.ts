import type { AwsClients } from '../aws/clients.js'
import type { SecretIdentity } from '../ecs/secret-references.js'
import type { StageContext } from '../run/context.js'
import { describeSecret, prepareSecretChange, type SecretChangeInputs, type SecretPlan } from '../secret/prepare.js'
import { replicasOf } from '../secret/replicas.js'
import { parse as parseArn } from '@aws-sdk/util-arn-parser'

/**
 * The secret pre-check (put and rotate): reads the secret and plans the change, writing nothing.
 * Says what the plan implies that a user may not expect (managed rotation, a schedule turned back on).
 */
export async function secretPrecheckStage(
  ctx: StageContext,
  settings: SecretChangeInputs,
  sm: ReturnType<AwsClients['secretsManager']>,
  mask: (value: string) => void
): Promise<SecretPlan> {
  const plan = await prepareSecretChange(sm, settings, mask, ctx.log.info)
  if (plan.owningService) {
    ctx.log.info(
      `${plan.name} is managed by ${plan.owningService}: RotateSecret asks ${plan.owningService} to rotate it (managed rotation)`
    )
  }
  if (plan.turnsRotationBackOn) {
    ctx.log.warn(
      `Automatic rotation of ${plan.name} is turned off; this rotation turns its schedule back on (if-rotation-disabled: enable)`
    )
  }
  return plan
}

/** For discovery in mode redeploy: the secret's ARN, name and regions (with its replicas), read with the pre-check's own lookup. */
export async function secretIdentity(
  sm: ReturnType<AwsClients['secretsManager']>,
  secretId: string,
  region: string
): Promise<SecretIdentity> {
  const secret = await describeSecret(sm, secretId, region)
  const arn = secret.ARN as string
  const replicas = replicasOf(secret).filter((r) => r.status !== 'Failed')
  return { arn, name: secret.Name ?? secretId, regions: [parseArn(arn).region, ...replicas.map((r) => r.region)] }
}
