import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  type SecretsManagerClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes
} from '@aws-sdk/client-secrets-manager'
import type { AwsStub } from 'aws-sdk-client-mock'
import type { VersionStages } from '../src/secret/staging-labels.js'
import { SECRET_ARN } from './report.js'

export const SECRET_NAME = 'prod/db'

/** The error Secrets Manager answers for a secret it does not have. */
export function notFound(): Error {
  return Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' })
}

/** Throws ResourceNotFoundException unless `id` names the secret (by ARN or by name), as AWS does. */
export function expectSecret(id: string | undefined): void {
  if (id !== SECRET_ARN && id !== SECRET_NAME) throw notFound()
}

type SmStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, SecretsManagerClientResolvedConfig>

/**
 * DescribeSecret of prod/db answered from `stages()` at the time of each call; any other
 * SecretId is not found.
 */
export function describeFrom(sm: SmStub, stages: () => VersionStages, extra: Partial<DescribeSecretCommandOutput> = {}): void {
  sm.on(DescribeSecretCommand).callsFake(async (input: { SecretId?: string }) => {
    expectSecret(input.SecretId)
    return { ARN: SECRET_ARN, Name: SECRET_NAME, VersionIdsToStages: stages(), ...extra }
  })
}
