import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import type { Clock } from '../clock.js'
import { Inputs } from '../constants.js'
import type { RoleSettings } from '../settings/index.js'
import { awsErrorSentence, describeAwsError, errorName } from './errors.js'
import { explainClaims } from './oidc-claims.js'

export interface OidcDeps {
  /** `core.getIDToken`: fetches (and masks) the job's OIDC token for an audience. */
  getIDToken(audience: string): Promise<string>
  sts: STSClient
  mask(value: string): void
  env: NodeJS.ProcessEnv
  clock: Clock
}

/** Why the role could not be assumed; never retried by the pipeline. */
export class CredentialsError extends Error {
  override name = 'CredentialsError'
}

// Keyed by the names the SDK gives the errors: STS's modelled errors end in `Exception`
// (on the wire `InvalidIdentityToken`, in the SDK `InvalidIdentityTokenException`); the
// unmodelled AccessDenied and ValidationError keep their wire code.
const HINTS: Record<string, string> = {
  AccessDenied:
    "check the role's trust policy: it must trust token.actions.githubusercontent.com, with :aud equal to the `audience` input and :sub matching this job (repo:<owner>/<repo>:..., or repo:<owner>@<owner id>/<repo>@<repo id>:... for repositories created or renamed since 2026-07-15)",
  InvalidIdentityTokenException:
    'the account needs an IAM OIDC identity provider for token.actions.githubusercontent.com whose audience matches the `audience` input',
  IDPRejectedClaimException: 'the role trust policy rejected a claim of the token: compare its :sub and :aud conditions with this job',
  IDPCommunicationErrorException: 'STS could not reach the identity provider to check the token; run the job again',
  ExpiredTokenException: "the job's OIDC token expired before STS saw it; run the job again",
  ValidationError: 'check role-to-assume, role-session-name and role-duration-seconds'
}

/** STS refused the token or the role's trust policy refused its claims: the claims say why. */
const REFUSALS = ['AccessDenied', 'IDPRejectedClaimException', 'InvalidIdentityTokenException']

/** The hint for an STS error; a duration above the role's maximum gets its own. */
export function stsHint(error: unknown, durationSeconds: number): string | undefined {
  const name = (error as { name?: string }).name ?? ''
  const message = error instanceof Error ? error.message : ''
  if (name === 'ValidationError' && /MaxSessionDuration/i.test(message)) {
    return (
      `\`${Inputs.RoleDurationSeconds}\` (${durationSeconds}) is above the role's maximum session duration (1 hour unless raised): ` +
      `lower \`${Inputs.RoleDurationSeconds}\`, or raise the role's MaxSessionDuration (aws iam update-role --max-session-duration)`
    )
  }
  return HINTS[name]
}

/** Exchanges a fresh GitHub OIDC token for role credentials and masks them. */
export async function assumeRoleWithOidc(role: RoleSettings, deps: OidcDeps): Promise<AwsCredentialIdentity> {
  if (!deps.env.ACTIONS_ID_TOKEN_REQUEST_URL || !deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new CredentialsError(
      `\`${Inputs.RoleToAssume}\` is set, but this job cannot request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set). ` +
        'Add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get one.'
    )
  }
  let token: string
  try {
    token = await deps.getIDToken(role.audience)
  } catch (error) {
    throw new CredentialsError(`Could not get the job's OIDC token for audience "${role.audience}": ${describeAwsError(error)}`)
  }
  deps.mask(token)
  try {
    const { Credentials: c } = await deps.sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role.arn,
        RoleSessionName: role.sessionName,
        WebIdentityToken: token,
        DurationSeconds: role.durationSeconds
      })
    )
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials')
    for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken]) deps.mask(secret)
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration
    }
  } catch (error) {
    const found = stsHint(error, role.durationSeconds)
    const hint = found ? ` Hint: ${found}.` : ''
    const claims = REFUSALS.includes(errorName(error) ?? '') ? explainClaims(token) : ''
    throw new CredentialsError(`Could not assume role ${role.arn} with OIDC: ${awsErrorSentence(error)}${hint}${claims}`)
  }
}

export type RefreshableCredentials = AwsCredentialIdentityProvider & {
  /** Forget the session, so the next call assumes the role again (after ExpiredTokenException). */
  invalidate(): void
  /** Tells the SDK not to wrap this provider in its own cache, so invalidate() takes effect. */
  memoized: true
}

/**
 * A provider shared by every SDK client: assumes the role once, then again shortly before the
 * session expires (a rollout can outlast the session), or after `invalidate()`.
 */
export function oidcCredentialsProvider(role: RoleSettings, deps: OidcDeps): RefreshableCredentials {
  return refreshingProvider(() => assumeRoleWithOidc(role, deps), deps.clock)
}

/**
 * Caches the session `assume` returns and calls it again 5 minutes before it expires (or after
 * three quarters of a shorter session), or after `invalidate()`; concurrent callers share one call.
 */
export function refreshingProvider(assume: () => Promise<AwsCredentialIdentity>, clock: Clock): RefreshableCredentials {
  let current: { identity: AwsCredentialIdentity; refreshAt: number } | undefined
  let inFlight: Promise<AwsCredentialIdentity> | undefined

  const renew = async () => {
    const issuedAt = clock.now()
    const identity = await assume()
    const expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY
    const margin = Math.min(300_000, (expiresAt - issuedAt) / 4)
    current = { identity, refreshAt: expiresAt - margin }
    return identity
  }
  const provider = async () => {
    if (current && clock.now() < current.refreshAt) return current.identity
    inFlight ??= renew().finally(() => (inFlight = undefined))
    return inFlight
  }
  return Object.assign(provider, { invalidate: () => (current = undefined), memoized: true as const })
}
