import type { Mode, WaitUntil } from '../constants.js'
import type { ClusterRef, ServiceRef } from '../service-list.js'

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

export interface TrackingIssueSettings {
  token: string
  /** `owner/repo`. */
  repository: string
  /** The REST API root: GITHUB_API_URL on a runner (GitHub Enterprise Server has its own). */
  apiUrl: string
  /** `@user` and `@org/team`, notified once when the issue is opened (`failure-issue-mention`). */
  mention?: string[]
}

/** What every mode reads: where, as whom, which services, how to wait, and how to report. */
export interface BaseSettings {
  mode: Mode
  region: string
  role?: RoleSettings
  /** Region of the secret: the ARN's when `secret-id` is an ARN, else `aws-region`. */
  secretRegion: string
  /** How long a rotation, or a replica region catching up, may take. */
  rotationTimeoutSeconds: number
  services: ServiceRef[]
  waitForServiceStability: boolean
  deploymentTimeoutSeconds: number
  maxConcurrency: number
  /** Percent of ECS's published read refill rates this run may use, per account and region. */
  apiBudgetPercent: number
  /** Clusters to search for services whose task definitions read the secret (empty: no discovery). */
  discoverIn: ClusterRef[]
  /** Check that every running task of a succeeded service came from the new deployment. */
  verifyRollout: boolean
  /** completed: ECS (or CodeDeploy) says the deployment is done; traffic-shifted: production traffic is on the new tasks. */
  waitUntil: WaitUntil
  /** Every read and check, no write: report what would happen. */
  dryRun: boolean
  /** Account id -> role ARN assumed (from the main session) for services and clusters in that account. */
  crossAccountRoles: Map<string, string>
  /** `allowed-account-ids`: the accounts the run may act in (empty: any). */
  allowedAccountIds: string[]
  run: RunContext
  /** With failure-issue: where to keep the tracking issue, and the token that may write it. */
  trackingIssue?: TrackingIssueSettings
}

/** rotate: Secrets Manager rotates the secret (its rotation function makes the new value). */
export interface RotateSettings extends BaseSettings {
  mode: 'rotate'
  secretId: string
  rotationLambdaArn?: string
  /** Wait for a rotation already running and roll out its version, instead of failing. */
  ifRotationInProgress: 'fail' | 'wait'
  /** On a secret whose automatic rotation is turned off: refuse, or rotate and turn the schedule back on. */
  ifRotationDisabled: 'fail' | 'enable'
}

/** put: the run writes a new value (given, read from a file, or generated). */
export interface PutSettings extends BaseSettings {
  mode: 'put'
  secretId: string
  value: ValueSource
  jsonKey?: string
  /** If a deployment fails, move AWSCURRENT back and redeploy again. */
  rollbackOnFailure: boolean
}

/** redeploy: no secret change; the secret is only needed to discover the services that read it. */
export interface RedeploySettings extends BaseSettings {
  mode: 'redeploy'
  secretId?: string
}

/** The run's settings, one type per mode: a field exists only in the modes it applies to. */
export type Settings = RotateSettings | PutSettings | RedeploySettings

/** The modes that change the secret. */
export type SecretChangeSettings = RotateSettings | PutSettings

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
