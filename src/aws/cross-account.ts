import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { parse as parseArn } from '@aws-sdk/util-arn-parser'
import type { AwsCredentialIdentity } from '@smithy/types'
import type { Clock } from '../clock.js'
import { Inputs } from '../constants.js'
import { awsErrorSentence, errorName } from './errors.js'
import { CredentialsError, refreshingProvider, stsHint, type RefreshableCredentials } from './oidc-credentials.js'

/** AWS caps a session assumed with another role's session (role chaining) at one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600

export interface CrossAccountDeps {
  /** An STS client signed with the main session. */
  sts: STSClient
  sessionName: string
  /** role-duration-seconds; capped at the role-chaining hour. */
  durationSeconds: number
  clock: Clock
  mask(value: string): void
}

/** The account the main credentials act in (GetCallerIdentity), for telling other accounts apart. */
export async function callerAccount(sts: STSClient): Promise<string> {
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}))
    if (!Account) throw new Error('GetCallerIdentity returned no account')
    return Account
  } catch (error) {
    throw new CredentialsError(`Could not tell which account the credentials are in (sts:GetCallerIdentity): ${awsErrorSentence(error)}`)
  }
}

/**
 * Credentials for the role of another account, assumed from the main session and renewed
 * before they end like the main session. Errors name the role, its account and the input.
 */
export function crossAccountProvider(roleArn: string, deps: CrossAccountDeps): RefreshableCredentials {
  const account = parseArn(roleArn).accountId
  const durationSeconds = Math.min(deps.durationSeconds, ROLE_CHAINING_MAX_SECONDS)
  return refreshingProvider(async (): Promise<AwsCredentialIdentity> => {
    try {
      const { Credentials: c } = await deps.sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: deps.sessionName, DurationSeconds: durationSeconds })
      )
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials')
      for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken]) deps.mask(secret)
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
    } catch (error) {
      const hint =
        errorName(error) === 'AccessDenied'
          ? `the trust policy of ${roleArn} must allow sts:AssumeRole by the principal of the main session (the role of \`${Inputs.RoleToAssume}\`, or the credentials in the environment)`
          : stsHint(error, durationSeconds)
      throw new CredentialsError(
        `\`${Inputs.CrossAccountRoles}\`: could not assume ${roleArn} for account ${account}: ${awsErrorSentence(error)}${hint ? ` Hint: ${hint}.` : ''}`
      )
    }
  }, deps.clock)
}
