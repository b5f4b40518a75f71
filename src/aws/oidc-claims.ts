/**
 * What a refused GitHub OIDC token said about the job, for the error message: the claims a trust
 * policy tests, read from the token's payload (its signature is never shown, nor the token), and
 * the trust-policy condition that would have matched them.
 */

/** The claims a trust policy can test; none of them is secret. */
export const TRUST_CLAIMS = [
  'sub',
  'aud',
  'repository',
  'repository_id',
  'repository_owner_id',
  'ref',
  'environment',
  'job_workflow_ref',
  'event_name'
] as const

export type TrustClaims = Partial<Record<(typeof TRUST_CLAIMS)[number], string>>

export const PROVIDER = 'token.actions.githubusercontent.com'

/** The listed claims of a JWT's payload; empty when the token is not a JWT. Values are cut and stripped of control characters. */
export function tokenClaims(token: string): TrustClaims {
  const payload = token.split('.')[1]
  if (!payload) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return {}
  }
  if (typeof parsed !== 'object' || parsed === null) return {}
  const claims: TrustClaims = {}
  for (const name of TRUST_CLAIMS) {
    const value = (parsed as Record<string, unknown>)[name]
    if (typeof value === 'string' || typeof value === 'number') {
      claims[name] = [...String(value).slice(0, 200)].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('')
    }
  }
  return claims
}

/**
 * Both forms of `sub` for the job: `repo:<owner>/<repo>:<context>` (repositories named before
 * 2026-07-15) and the immutable `repo:<owner>@<owner id>/<repo>@<repo id>:<context>` (created or
 * renamed since). Undefined when the token lacks what either form needs.
 */
export function subjectForms(claims: TrustClaims): { old: string; immutable: string } | undefined {
  const { sub, repository, repository_id: repoId, repository_owner_id: ownerId } = claims
  const match = /^repo:[^:]+:(.+)$/.exec(sub ?? '')
  const [owner, repo] = (repository ?? '').split('/')
  if (!match || !owner || !repo || !repoId || !ownerId) return undefined
  return { old: `repo:${owner}/${repo}:${match[1]}`, immutable: `repo:${owner}@${ownerId}/${repo}@${repoId}:${match[1]}` }
}

/** The trust-policy `Condition` that matches these claims, with both `sub` forms; undefined without sub and aud. */
export function matchingCondition(claims: TrustClaims): object | undefined {
  if (!claims.sub || !claims.aud) return undefined
  const forms = subjectForms(claims)
  const equals: Record<string, string | string[]> = {
    [`${PROVIDER}:aud`]: claims.aud,
    [`${PROVIDER}:sub`]: forms ? [forms.old, forms.immutable] : claims.sub
  }
  if (claims.repository_id) equals[`${PROVIDER}:repository_id`] = claims.repository_id
  return { StringEquals: equals }
}

/** The sentences a refusal adds: the token's claims, and the condition that would match them. */
export function explainClaims(token: string): string {
  const claims = tokenClaims(token)
  const listed = TRUST_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `${name}=${claims[name]}`)
  if (listed.length === 0) return ''
  const condition = matchingCondition(claims)
  const forms = subjectForms(claims)
  return (
    ` The job's token has (claims only; the token is never printed): ${listed.join(', ')}.` +
    (condition
      ? ` A trust-policy condition that matches this job${forms ? ', with sub in its old form (repo:owner/repo:...) and its immutable form (repo:owner@<owner id>/repo@<repo id>:..., for repositories created or renamed since 2026-07-15)' : ''}: ` +
        `"Condition": ${JSON.stringify(condition)}`
      : '')
  )
}
