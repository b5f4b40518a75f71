import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser'
import { readAllowedAccounts } from './aws/allowed-accounts.js'
import { isRegion, partitionProblem } from './aws/place.js'
import { Inputs, MAX_SECRET_BYTES, Modes, type Mode, type WaitUntil } from './constants.js'
import { parseDurationSeconds } from './duration.js'
import { secretMasker } from './secret/mask.js'
import { parseClusterList, parseServiceList, type ClusterRef, type ServiceRef } from './service-list.js'

export type ValueSource =
  | { kind: 'given'; value: string; from: 'secret-string' | 'secret-file' }
  | { kind: 'generate'; length: number; excludeCharacters?: string; excludePunctuation: boolean }

export interface RoleSettings {
  arn: string
  sessionName: string
  durationSeconds: number
  audience: string
}

export interface RunContext {
  /** Absent outside a runner; each local run is then a new change. */
  id?: string
  attempt: string
  /** GITHUB_JOB and GITHUB_ACTION: which job and step of the run (matrix legs share both). */
  job?: string
  step?: string
  repository?: string
  serverUrl: string
  /** Who and what started the run, for the audit trail in the summary and the tracking issue. */
  actor?: string
  workflow?: string
  event?: string
  sha?: string
}

export interface Settings {
  region: string
  role?: RoleSettings
  mode: Mode
  secretId?: string
  /** Region of the secret: the ARN's when `secret-id` is an ARN, else `aws-region`. */
  secretRegion: string
  value?: ValueSource
  jsonKey?: string
  rotationLambdaArn?: string
  rotationTimeoutSeconds: number
  services: ServiceRef[]
  waitForServiceStability: boolean
  deploymentTimeoutSeconds: number
  maxConcurrency: number
  /** Percent of ECS's published read refill rates this run may use, per account and region. */
  apiBudgetPercent: number
  /** put only: if a deployment fails, move AWSCURRENT back and redeploy again. */
  rollbackOnFailure: boolean
  /** Clusters to search for services whose task definitions read the secret (empty: no discovery). */
  discoverIn: ClusterRef[]
  /** Check that every running task of a succeeded service came from the new deployment. */
  verifyRollout: boolean
  /** completed: ECS (or CodeDeploy) says the deployment is done; traffic-shifted: production traffic is on the new tasks. */
  waitUntil: WaitUntil
  /** Every read and check, no write: report what would happen. */
  dryRun: boolean
  /** rotate: wait for a rotation already running and roll out its version, instead of failing. */
  ifRotationInProgress: 'fail' | 'wait'
  /** rotate on a secret whose automatic rotation is turned off: refuse, or rotate and turn the schedule back on. */
  ifRotationDisabled: 'fail' | 'enable'
  /** Account id -> role ARN assumed (from the main session) for services and clusters in that account. */
  crossAccountRoles: Map<string, string>
  /** `allowed-account-ids`: the accounts the run may act in (empty: any). */
  allowedAccountIds: string[]
  run: RunContext
  /** With failure-issue: where to keep the tracking issue, and the token that may write it. */
  trackingIssue?: TrackingIssueSettings
}

export interface TrackingIssueSettings {
  token: string
  /** `owner/repo`. */
  repository: string
  /** The REST API root: GITHUB_API_URL on a runner (GitHub Enterprise Server has its own). */
  apiUrl: string
  /** `@user` and `@org/team`, notified once when the issue is opened (`failure-issue-mention`). */
  mention?: string[]
}

export interface SettingsIO {
  getInput(name: string): string
  env: NodeJS.ProcessEnv
  /** The file's bytes (a string is taken as already decoded). */
  readFile(path: string): Uint8Array | string
  /** Registers a value with the runner's log masking. */
  mask(value: string): void
}

/** Thrown for bad input, before any AWS call. Lists every problem, each naming its input. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? `Invalid input: ${problems[0]}` : `Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'InputError'
  }
}

// A GitHub login (letters, digits, single hyphens, at most 39), optionally /team-slug.
const MENTION = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(\/[A-Za-z0-9_.-]{1,100})?$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
// Secrets Manager's rule (CreateSecretRequest.Name): ASCII letters, digits and /_+=.@-, at most 512.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/
const SECRET_NAME_RULE = 'a secret name is 1-512 ASCII letters, digits and /_+=.@- (no spaces, backticks, | or line breaks)'
const MAX_TIMEOUT_SECONDS = 24 * 3600

/** Reads every input once into a typed, validated object. */
export function readSettings(io: SettingsIO): Settings {
  const problems: string[] = []
  const input = (name: string) => io.getInput(name).trim()
  const bad = (name: string, message: string) => problems.push(`\`${name}\`: ${message}`)

  const region = input(Inputs.AwsRegion) || io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || ''
  if (!region) bad(Inputs.AwsRegion, 'required: set it, or AWS_REGION / AWS_DEFAULT_REGION in the environment')
  else if (!isRegion(region)) bad(Inputs.AwsRegion, `"${region}" is not a region name like us-east-1`)

  const run: RunContext = {
    id: io.env.GITHUB_RUN_ID || undefined,
    attempt: io.env.GITHUB_RUN_ATTEMPT || '1',
    job: io.env.GITHUB_JOB || undefined,
    step: io.env.GITHUB_ACTION || undefined,
    repository: io.env.GITHUB_REPOSITORY || undefined,
    serverUrl: io.env.GITHUB_SERVER_URL || 'https://github.com',
    actor: io.env.GITHUB_ACTOR || undefined,
    workflow: io.env.GITHUB_WORKFLOW || undefined,
    event: io.env.GITHUB_EVENT_NAME || undefined,
    sha: io.env.GITHUB_SHA || undefined
  }

  const modeText = input(Inputs.Mode) || 'rotate'
  const mode = (Modes as readonly string[]).includes(modeText) ? (modeText as Mode) : undefined
  if (!mode) bad(Inputs.Mode, `"${modeText}" is not one of ${Modes.join(', ')}`)

  const role = readRole(input, bad, run)

  const secretId = input(Inputs.SecretId) || undefined
  let secretRegion = region
  if (secretId) {
    if (secretId.startsWith('arn:')) {
      const arn = isArn(secretId) ? parseArn(secretId) : undefined
      if (!arn || arn.service !== 'secretsmanager' || !arn.resource.startsWith('secret:') || !isRegion(arn.region)) {
        bad(Inputs.SecretId, 'not a valid Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)')
      } else if (!SECRET_NAME.test(arn.resource.slice('secret:'.length))) {
        // The name ends up in the tracking issue's title and hidden marker: nothing else may be in it.
        bad(Inputs.SecretId, `the name in the ARN is not a secret name: ${SECRET_NAME_RULE}`)
      } else if (partitionProblem(arn.partition, arn.region)) {
        bad(Inputs.SecretId, partitionProblem(arn.partition, arn.region) as string)
      } else {
        secretRegion = arn.region
      }
    } else if (!SECRET_NAME.test(secretId)) {
      bad(Inputs.SecretId, SECRET_NAME_RULE)
    }
  } else if (mode && mode !== 'redeploy') {
    bad(Inputs.SecretId, `required with mode ${mode}`)
  }

  const value = readValueSource(io, input, bad, mode)
  const valueBytes = value?.kind === 'given' ? Buffer.byteLength(value.value, 'utf8') : 0
  if (value?.kind === 'given' && valueBytes > MAX_SECRET_BYTES) {
    bad(
      value.from,
      `the value is ${valueBytes} bytes, above Secrets Manager's limit of ${MAX_SECRET_BYTES} bytes (UTF-8) for a secret value`
    )
  }

  const jsonKey = input(Inputs.JsonKey) || undefined
  if (jsonKey && mode !== 'put') bad(Inputs.JsonKey, 'only applies to mode put')

  const rotationLambdaArn = input(Inputs.RotationLambdaArn) || undefined
  if (rotationLambdaArn) {
    if (mode !== 'rotate') bad(Inputs.RotationLambdaArn, 'only applies to mode rotate')
    else if (!isLambdaArn(rotationLambdaArn)) {
      bad(Inputs.RotationLambdaArn, 'not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)')
    }
  }

  const rotationTimeoutSeconds = readDuration(input, bad, Inputs.RotationTimeout, '10m')
  const deploymentTimeoutSeconds = readDuration(input, bad, Inputs.DeploymentTimeout, '30m')

  // With role-to-assume the main account is known now; otherwise after the first call to STS.
  const mainAccount = role ? accountOfArn(role.arn) : undefined
  const { services, errors } = parseServiceList(io.getInput(Inputs.Services), region, mainAccount)
  errors.forEach((e) => bad(Inputs.Services, e))
  const crossAccountRoles = readCrossAccountRoles(io.getInput(Inputs.CrossAccountRoles), bad, mainAccount)
  const allowedAccountIds = readAllowedAccounts(io.getInput(Inputs.AllowedAccountIds), role?.arn, crossAccountRoles, bad)

  const waitForServiceStability = readBoolean(input, bad, Inputs.WaitForServiceStability, true)
  const maxConcurrency = readInteger(input, bad, Inputs.MaxConcurrency, 10, 1, 100)
  const apiBudgetPercent = readInteger(input, bad, Inputs.ApiBudget, 50, 10, 100)

  const rollbackOnFailure = readBoolean(input, bad, Inputs.RollbackOnFailure, false)
  if (rollbackOnFailure && mode === 'rotate') {
    bad(
      Inputs.RollbackOnFailure,
      'only applies to mode put: after a rotation the previous password may no longer be valid, so moving back to it is not safe'
    )
  } else if (rollbackOnFailure && mode === 'redeploy') {
    bad(Inputs.RollbackOnFailure, 'only applies to mode put: mode redeploy changes no secret')
  } else if (rollbackOnFailure && !waitForServiceStability) {
    bad(Inputs.RollbackOnFailure, `needs ${Inputs.WaitForServiceStability}: true, or no failure can be seen`)
  }

  const discover = readBoolean(input, bad, Inputs.DiscoverServices, false)
  const clusterList = parseClusterList(io.getInput(Inputs.Clusters), region, mainAccount)
  clusterList.errors.forEach((e) => bad(Inputs.Clusters, e))
  if (discover && clusterList.clusters.length === 0 && clusterList.errors.length === 0) {
    bad(Inputs.Clusters, `required with ${Inputs.DiscoverServices}: true: list the clusters to search, one a line`)
  }
  if (!discover && clusterList.clusters.length > 0) bad(Inputs.Clusters, `only applies with ${Inputs.DiscoverServices}: true`)
  if (discover && !secretId) bad(Inputs.DiscoverServices, `needs ${Inputs.SecretId}: discovery looks for services that read it`)
  if (rollbackOnFailure && mode === 'put' && services.length === 0 && !discover) {
    bad(Inputs.RollbackOnFailure, `needs ${Inputs.Services}: only a failed deployment triggers it`)
  }
  if (mode === 'redeploy' && services.length === 0 && errors.length === 0 && !discover) {
    bad(Inputs.Services, `required with mode redeploy: list at least one cluster/service, or use ${Inputs.DiscoverServices}`)
  }

  const verifyText = input(Inputs.VerifyRollout)
  const verifyRollout = readBoolean(input, bad, Inputs.VerifyRollout, waitForServiceStability)
  if (verifyText && verifyRollout && !waitForServiceStability) {
    bad(Inputs.VerifyRollout, `needs ${Inputs.WaitForServiceStability}: true (tasks are checked once their deployment has rolled out)`)
  }
  const dryRun = readBoolean(input, bad, Inputs.DryRun, false)
  const waitUntil = input(Inputs.WaitUntil) || 'completed'
  if (waitUntil !== 'completed' && waitUntil !== 'traffic-shifted') {
    bad(Inputs.WaitUntil, `"${waitUntil}" is not completed or traffic-shifted`)
  } else if (waitUntil === 'traffic-shifted' && !waitForServiceStability) {
    bad(Inputs.WaitUntil, `needs ${Inputs.WaitForServiceStability}: true: it says how long to wait`)
  }
  const ifText = input(Inputs.IfRotationInProgress) || 'fail'
  if (ifText !== 'fail' && ifText !== 'wait') bad(Inputs.IfRotationInProgress, `"${ifText}" is not fail or wait`)
  else if (ifText === 'wait' && mode !== 'rotate') bad(Inputs.IfRotationInProgress, 'wait only applies to mode rotate')
  const disabledText = input(Inputs.IfRotationDisabled) || 'fail'
  if (disabledText !== 'fail' && disabledText !== 'enable') bad(Inputs.IfRotationDisabled, `"${disabledText}" is not fail or enable`)
  else if (disabledText === 'enable' && mode !== 'rotate') bad(Inputs.IfRotationDisabled, 'enable only applies to mode rotate')

  const trackingIssue = readTrackingIssue(io, input, bad, run)

  if (mainAccount) {
    for (const problem of accountsWithoutRole([...services, ...(discover ? clusterList.clusters : [])], mainAccount, crossAccountRoles)) {
      bad(problem.input, problem.message)
    }
  }

  // The new value is masked before anything can print it, whole and by line (see secret/mask.ts).
  const given = value?.kind === 'given' ? value.value : io.getInput(Inputs.SecretString)
  if (given) {
    secretMasker(io.mask, namesTheReportShows({ secretId, services, discoverIn: clusterList.clusters }))(given)
  }

  if (problems.length > 0) throw new InputError(problems)
  return {
    region,
    role,
    mode: mode as Mode,
    secretId,
    secretRegion,
    value,
    jsonKey,
    rotationLambdaArn,
    rotationTimeoutSeconds,
    services,
    waitForServiceStability,
    deploymentTimeoutSeconds,
    maxConcurrency,
    apiBudgetPercent,
    rollbackOnFailure,
    discoverIn: discover ? clusterList.clusters : [],
    verifyRollout,
    waitUntil: waitUntil as WaitUntil,
    dryRun,
    ifRotationInProgress: ifText as 'fail' | 'wait',
    ifRotationDisabled: disabledText as 'fail' | 'enable',
    crossAccountRoles,
    allowedAccountIds,
    run,
    trackingIssue
  }
}

/**
 * Names the summary and the outputs show, which a JSON field of the secret must not mask away:
 * the secret's id and name, and each listed cluster and service.
 */
export function namesTheReportShows(s: Pick<Settings, 'secretId' | 'services' | 'discoverIn'>): string[] {
  const names = new Set<string>()
  if (s.secretId) names.add(s.secretId)
  for (const ref of s.services) [ref.clusterName, ref.service, ref.label].forEach((n) => names.add(n))
  for (const cluster of s.discoverIn) names.add(cluster.clusterName)
  return [...names]
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
const accountOfArn = (arn: string) => (isArn(arn) ? parseArn(arn).accountId : undefined)

/** `cross-account-roles`: one role ARN a line, at most one per account, none for the main account. */
function readCrossAccountRoles(text: string, bad: Bad, mainAccount: string | undefined): Map<string, string> {
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

type Input = (name: string) => string
type Bad = (name: string, message: string) => void

function readRole(input: Input, bad: Bad, run: RunContext): RoleSettings | undefined {
  const arn = input(Inputs.RoleToAssume)
  const sessionName = input(Inputs.RoleSessionName) || defaultSessionName(run)
  const durationSeconds = readInteger(input, bad, Inputs.RoleDurationSeconds, 3600, 900, 43200)
  const audience = input(Inputs.Audience) || 'sts.amazonaws.com'
  if (!SESSION_NAME.test(sessionName)) {
    bad(Inputs.RoleSessionName, `"${sessionName}" must be 2-64 characters of letters, digits and +=,.@_-`)
  }
  if (!arn) return undefined
  if (!ROLE_ARN.test(arn)) {
    bad(Inputs.RoleToAssume, 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)')
  }
  return { arn, sessionName, durationSeconds, audience }
}

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

function readTrackingIssue(io: SettingsIO, input: Input, bad: Bad, run: RunContext): TrackingIssueSettings | undefined {
  const wanted = readBoolean(input, bad, Inputs.FailureIssue, false)
  const token = input(Inputs.GithubToken)
  if (token) io.mask(token)
  const mention = input(Inputs.FailureIssueMention)
    .split(/[\s,]+/)
    .filter(Boolean)
  for (const who of mention) {
    if (!MENTION.test(who)) bad(Inputs.FailureIssueMention, `"${who}" is not @user or @org/team`)
  }
  if (mention.length > 0 && !wanted) bad(Inputs.FailureIssueMention, `only applies with ${Inputs.FailureIssue}: true`)
  if (!wanted) return undefined
  if (!token) {
    bad(Inputs.GithubToken, `required with ${Inputs.FailureIssue}: true: leave it unset to use the job's token (\`\${{ github.token }}\`)`)
  }
  if (!run.repository) bad(Inputs.FailureIssue, 'needs GITHUB_REPOSITORY (set on a runner) to know where to open the issue')
  return {
    token,
    repository: run.repository ?? '',
    apiUrl: (io.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    mention: mention.map((who) => (who.startsWith('@') ? who : `@${who}`))
  }
}

function readValueSource(io: SettingsIO, input: Input, bad: Bad, mode: Mode | undefined): ValueSource | undefined {
  // Exactly as given, like secret-file's content: a trailing newline (YAML's `|`) is part of it.
  const secretString = io.getInput(Inputs.SecretString)
  const secretFile = input(Inputs.SecretFile)
  const generate = readBoolean(input, bad, Inputs.GeneratePassword, false)

  const lengthText = input(Inputs.PasswordLength)
  const excludeCharacters = input(Inputs.ExcludeCharacters) || undefined
  const excludePunctuation = readBoolean(input, bad, Inputs.ExcludePunctuation, false)
  const passwordOptionGiven = Boolean(lengthText || excludeCharacters || excludePunctuation)
  if (passwordOptionGiven && !generate) {
    const given = lengthText ? Inputs.PasswordLength : excludeCharacters ? Inputs.ExcludeCharacters : Inputs.ExcludePunctuation
    bad(given, `only applies with ${Inputs.GeneratePassword}: true`)
  }

  const sources = [secretString && Inputs.SecretString, secretFile && Inputs.SecretFile, generate && Inputs.GeneratePassword].filter(
    Boolean
  ) as string[]

  if (mode !== 'put') {
    for (const source of sources) bad(source, `only applies to mode put (mode is ${mode ?? 'invalid'})`)
    return undefined
  }
  if (sources.length !== 1) {
    const which = sources.length === 0 ? 'none is set' : `${sources.join(' and ')} are all set`
    bad(sources[0] ?? Inputs.SecretString, `mode put needs exactly one of secret-string, secret-file or generate-password: true; ${which}`)
    return undefined
  }
  if (secretString) {
    if (!secretString.trim()) {
      bad(Inputs.SecretString, 'is only whitespace: give the value, or use secret-file for a value read exactly from a file')
      return undefined
    }
    return { kind: 'given', value: secretString, from: 'secret-string' }
  }
  if (secretFile) {
    let bytes: Uint8Array | string
    try {
      bytes = io.readFile(secretFile)
    } catch (error) {
      bad(Inputs.SecretFile, `cannot read "${secretFile}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
      return undefined
    }
    const content = utf8Text(bytes)
    if (content === undefined) {
      bad(Inputs.SecretFile, `"${secretFile}" is not UTF-8 text (a binary file?): SecretString holds text; base64-encode binary data first`)
      return undefined
    }
    if (content.includes('\u0000')) {
      bad(Inputs.SecretFile, `"${secretFile}" holds NUL bytes (a binary file?): SecretString holds text; base64-encode binary data first`)
      return undefined
    }
    if (!content) {
      bad(Inputs.SecretFile, `"${secretFile}" is empty`)
      return undefined
    }
    return { kind: 'given', value: content, from: 'secret-file' }
  }
  const length = readInteger(input, bad, Inputs.PasswordLength, 32, 1, 4096)
  return { kind: 'generate', length, excludeCharacters, excludePunctuation }
}

/** Decodes UTF-8 strictly: undefined for bytes that are not UTF-8 (which a lenient decoder makes `�`). */
function utf8Text(content: Uint8Array | string): string | undefined {
  if (typeof content === 'string') return content
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content)
  } catch {
    return undefined
  }
}

function readDuration(input: Input, bad: Bad, name: string, fallback: string): number {
  const text = input(name) || fallback
  const seconds = parseDurationSeconds(text)
  if (seconds === undefined || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    bad(name, `"${text}" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds`)
    return 0
  }
  return seconds
}

function readInteger(input: Input, bad: Bad, name: string, fallback: number, min: number, max: number): number {
  const text = input(name)
  if (!text) return fallback
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    bad(name, `"${text}" is not a whole number from ${min} to ${max}`)
    return fallback
  }
  return Number(text)
}

// The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function readBoolean(input: Input, bad: Bad, name: string, fallback: boolean): boolean {
  const text = input(name)
  if (!text) return fallback
  if (TRUE.includes(text)) return true
  if (FALSE.includes(text)) return false
  bad(name, `"${text}" is not true or false`)
  return fallback
}

function isLambdaArn(text: string): boolean {
  if (!isArn(text)) return false
  const arn = parseArn(text)
  return arn.service === 'lambda' && isRegion(arn.region) && /^function:[\w-]{1,64}(:[\w$-]+)?$/.test(arn.resource)
}
