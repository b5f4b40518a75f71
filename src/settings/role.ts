import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser'
import { readAllowedAccounts } from '../aws/allowed-accounts.js'
import { isRegion } from '../aws/place.js'
import { Inputs } from '../constants.js'
import { sameOnceAccountKnown, type ClusterRef, type ServiceRef } from '../service-list.js'
import { readInteger, type Reader } from './readers.js'
import { InputError, type RoleSettings, type RunContext, type SettingsIO } from './types.js'

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/

/** `aws-region`, or the environment's region. */
export function readRegion(r: Reader, env: SettingsIO['env']): string {
  const region = r.input(Inputs.AwsRegion) || env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  if (!region) r.bad(Inputs.AwsRegion, 'required: set it, or AWS_REGION / AWS_DEFAULT_REGION in the environment')
  else if (!isRegion(region)) r.bad(Inputs.AwsRegion, `"${region}" is not a region name like us-east-1`)
  return region
}

/** `role-to-assume` and its session (name, duration, audience); undefined: the environment's credentials. */
export function readRole(r: Reader, run: RunContext): RoleSettings | undefined {
  const arn = r.input(Inputs.RoleToAssume)
  const sessionName = r.input(Inputs.RoleSessionName) || defaultSessionName(run)
  const durationSeconds = readInteger(r, Inputs.RoleDurationSeconds, 3600, 900, 43200)
  const audience = r.input(Inputs.Audience) || 'sts.amazonaws.com'
  if (!SESSION_NAME.test(sessionName)) {
    r.bad(Inputs.RoleSessionName, `"${sessionName}" must be 2-64 characters of letters, digits and +=,.@_-`)
  }
  if (!arn) return undefined
  if (!ROLE_ARN.test(arn)) {
    r.bad(Inputs.RoleToAssume, 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)')
  }
  return { arn, sessionName, durationSeconds, audience }
}

/** The account of `role-to-assume`: with a role the main account is known now, otherwise after the first call to STS. */
export const accountOfRole = (role: RoleSettings | undefined): string | undefined =>
  role && isArn(role.arn) ? parseArn(role.arn).accountId : undefined

/**
 * `<owner>-<repo>-<run id>-<attempt>`, so CloudTrail's AssumeRoleWithWebIdentity names the run
 * that changed the secret. STS allows 2-64 characters of [\w+=,.@-]: anything else becomes `-`,
 * and a long repository name is cut so the run id and attempt always stay.
 */
export function defaultSessionName(run: RunContext): string {
  if (!run.id) return 'secret-rollout-local'
  const suffix = `-${run.id}-${run.attempt}`.replace(/[^\w+=,.@-]/g, '-')
  const repository = (run.repository ?? 'secret-rollout').replace(/[^\w+=,.@-]/g, '-')
  return `${repository.slice(0, Math.max(0, 64 - suffix.length))}${suffix}`.slice(-64)
}

/** `cross-account-roles` and `allowed-account-ids`. */
export function readAccounts(
  r: Reader,
  io: Pick<SettingsIO, 'getInput'>,
  role: RoleSettings | undefined
): { crossAccountRoles: Map<string, string>; allowedAccountIds: string[] } {
  const crossAccountRoles = readCrossAccountRoles(io.getInput(Inputs.CrossAccountRoles), r.bad, accountOfRole(role))
  const allowedAccountIds = readAllowedAccounts(io.getInput(Inputs.AllowedAccountIds), role?.arn, crossAccountRoles, r.bad)
  return { crossAccountRoles, allowedAccountIds }
}

/** `cross-account-roles`: one role ARN a line, at most one per account, none for the main account. */
function readCrossAccountRoles(text: string, bad: Reader['bad'], mainAccount: string | undefined): Map<string, string> {
  const roles = new Map<string, string>()
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const arn = rawLine.replace(/#.*$/, '').trim()
    if (!arn) return
    const where = `line ${index + 1} "${arn}"`
    if (!ROLE_ARN.test(arn))
      return bad(Inputs.CrossAccountRoles, `${where}: not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`)
    const account = parseArn(arn).accountId
    if (account === mainAccount) {
      return bad(
        Inputs.CrossAccountRoles,
        `${where}: account ${account} is that of \`${Inputs.RoleToAssume}\`, whose session already reaches it`
      )
    }
    if (roles.has(account)) return bad(Inputs.CrossAccountRoles, `${where}: account ${account} already has ${roles.get(account)}`)
    roles.set(account, arn)
  })
  return roles
}

/**
 * Services and clusters given by ARN in an account other than the credentials' and with no
 * role in `cross-account-roles`: they cannot be reached, whatever ECS would say about them.
 */
export function accountsWithoutRole(
  refs: readonly { account?: string; line: number; label?: string; clusterName: string }[],
  mainAccount: string,
  roles: ReadonlyMap<string, string>
): { input: string; message: string }[] {
  return refs
    .filter((r) => r.account && r.account !== mainAccount && !roles.has(r.account))
    .map((r) => ({
      input: r.label ? Inputs.Services : Inputs.Clusters,
      message:
        `line ${r.line} ${r.label ?? r.clusterName}: in account ${r.account}, but the credentials are in account ${mainAccount} and ` +
        `\`${Inputs.CrossAccountRoles}\` has no role for account ${r.account}: add arn:aws:iam::${r.account}:role/<role> to it`
    }))
}

/**
 * The input checks that need the credentials' account. With `role-to-assume` readSettings runs
 * them; without one the account is known only from STS's GetCallerIdentity, so the credentials
 * stage calls this once it has asked. Still an input problem: it throws `InputError`, reported
 * under "Invalid input". An ARN in another account with no role, or a service listed twice once
 * the account is known (`prod/api` and its ARN), is refused.
 */
export function checkOnceAccountKnown(
  s: { services: readonly ServiceRef[]; discoverIn: readonly ClusterRef[]; crossAccountRoles: ReadonlyMap<string, string> },
  mainAccount: string
): void {
  const missing = accountsWithoutRole([...s.services, ...s.discoverIn], mainAccount, s.crossAccountRoles)
  const twice = [
    ...sameOnceAccountKnown(s.services, mainAccount).map((p) => `\`${Inputs.Services}\`: ${p}`),
    ...sameOnceAccountKnown(s.discoverIn, mainAccount).map((p) => `\`${Inputs.Clusters}\`: ${p}`)
  ]
  if (missing.length > 0 || twice.length > 0) throw new InputError([...missing.map((m) => `\`${m.input}\`: ${m.message}`), ...twice])
}
