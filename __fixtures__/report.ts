import type { ServiceOutcome, ServiceStatus } from '../src/ecs/outcome.js'
import type { SecretResult } from '../src/secret/apply.js'
import { refs } from './ecs.js'

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'

/** An outcome for `cluster/service` with the given status and any other fields. */
export function outcome(label: string, status: ServiceStatus, fields: Partial<ServiceOutcome> = {}): ServiceOutcome {
  const [ref] = refs(label)
  return { ref, status, ...fields }
}

/** A put that moved AWSCURRENT from v1 to v2 (or failed, with `status: 'failed'`). */
export function secretResult(fields: Partial<SecretResult> = {}): SecretResult {
  return {
    mode: 'put',
    arn: SECRET_ARN,
    name: 'prod/db',
    status: 'succeeded',
    versionId: 'v2',
    previousVersionId: 'v1',
    newVersionId: 'v2',
    reused: false,
    durationSeconds: 1.2,
    ...fields
  }
}
