import { AwsError, invalidParameter, invalidRequest, notFound } from './aws-error.js'
import { dispatch, type AwsModel, type Call, type Operation } from './operations.js'
import { randomUuid, seededRandom } from './random.js'
import type { Scenario, SecretSpec } from './scenario.js'

const CURRENT = 'AWSCURRENT'
const PENDING = 'AWSPENDING'
const PREVIOUS = 'AWSPREVIOUS'

interface Version {
  id: string
  value?: string
  stages: Set<string>
  createdAt: number
}

interface Rotation {
  token: string
  startedAt: number
  outcome: 'succeed' | 'fail' | 'hang'
  durationMs: number
  /** Which steps of the rotation function have run, for the scenario's log. */
  steps: string[]
}

interface Replica {
  region: string
  lagMs: number
  status: 'InSync' | 'Failed'
  statusMessage?: string
}

interface Secret {
  arn: string
  name: string
  /** The primary region: the only one that takes writes. */
  region: string
  account: string
  replicas: Replica[]
  /** The staging labels after each change, in time order: what a replica shows lagMs later. */
  history: { at: number; stages: Record<string, string[]> }[]
  versions: Map<string, Version>
  /** Absent until rotation is first configured (DescribeSecret then omits RotationEnabled). */
  rotationEnabled?: boolean
  rotationLambdaArn?: string
  owningService?: string
  versionQuota: number
  rotationSpec: NonNullable<SecretSpec['rotation']> | undefined
  deletedAt?: number
  lastRotatedAt?: number
  rotation?: Rotation
}

type Input = Record<string, unknown>
const replicaArn = (secret: Secret, region: string) => secret.arn.replace(`:${secret.region}:`, `:${region}:`)
const epochSeconds = (ms: number) => ms / 1000

/** Secrets Manager as the action relies on it: versions, staging labels, idempotent writes, rotations. */
export class SecretsManagerModel implements AwsModel {
  readonly secrets: Secret[] = []
  /** Where the call being handled was signed: lookups by name stay in that region and account. */
  private scope?: { region: string; account?: string }
  private readonly random: () => number

  constructor(
    scenario: Scenario,
    private readonly now: () => number = Date.now
  ) {
    this.random = seededRandom(scenario.seed * 7919)
    for (const spec of scenario.secrets) this.secrets.push(this.create(spec, scenario))
  }

  private create(spec: SecretSpec, scenario: Scenario): Secret {
    const suffix = Array.from(
      { length: 6 },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[Math.floor(this.random() * 52)]
    ).join('')
    const at = this.now()
    const region = spec.region ?? scenario.region
    const account = spec.account ?? scenario.account
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${region}:${account}:secret:${spec.name}-${suffix}`,
      name: spec.name,
      region,
      account,
      replicas: spec.replicas.map((r) => ({
        ...r,
        statusMessage:
          r.statusMessage ?? (r.status === 'Failed' ? 'Secret with this name already exists in this region' : 'Replication succeeded')
      })),
      history: [],
      versions: new Map(),
      rotationEnabled: spec.rotation?.lambdaArn || spec.owningService ? (spec.rotation?.enabled ?? true) : undefined,
      rotationLambdaArn: spec.rotation?.lambdaArn,
      owningService: spec.owningService,
      versionQuota: spec.versionQuota,
      rotationSpec: spec.rotation,
      deletedAt: spec.deleted ? at : undefined
    }
    if (spec.previousValue !== undefined) this.addVersion(secret, spec.previousValue, [PREVIOUS], at - 2000)
    this.addVersion(secret, spec.value, [CURRENT], at - 1000)
    if (spec.rotationInProgress) {
      const pending = this.addVersion(secret, `${spec.value}-pending`, [PENDING], at - 500)
      const rotation = spec.rotation ?? { durationMs: 1000, outcome: 'hang' as const }
      secret.rotation = {
        token: pending.id,
        startedAt: at,
        outcome: rotation.outcome,
        durationMs: rotation.durationMs,
        steps: ['createSecret']
      }
    }
    // Replicas start in sync with the primary's state at creation.
    secret.history.push({ at: Number.NEGATIVE_INFINITY, stages: this.stagesMap(secret) })
    return secret
  }

  private record(secret: Secret, at: number): void {
    secret.history.push({ at, stages: this.stagesMap(secret) })
  }

  private addVersion(secret: Secret, value: string | undefined, stages: string[], at = this.now(), id = randomUuid(this.random)): Version {
    const version: Version = { id, value, stages: new Set(), createdAt: at }
    secret.versions.set(id, version)
    for (const stage of stages) this.moveStage(secret, stage, id)
    return version
  }

  /** Moves a label to a version; moving AWSCURRENT leaves AWSPREVIOUS on the version that had it. */
  private moveStage(secret: Secret, stage: string, toId: string | undefined): void {
    const from = this.versionWith(secret, stage)
    if (from) from.stages.delete(stage)
    if (toId) secret.versions.get(toId)?.stages.add(stage)
    if (stage === CURRENT && from && toId && from.id !== toId) {
      this.versionWith(secret, PREVIOUS)?.stages.delete(PREVIOUS)
      from.stages.add(PREVIOUS)
    }
  }

  private versionWith(secret: Secret, stage: string): Version | undefined {
    return [...secret.versions.values()].find((v) => v.stages.has(stage))
  }

  /** Runs what the clock says has happened by `now`: rotation functions finishing. The router calls it once before each call. */
  advance(now: number = this.now()): void {
    for (const secret of this.secrets) this.advanceSecret(secret, now)
  }

  private advanceSecret(secret: Secret, now: number): void {
    const rotation = secret.rotation
    if (!rotation || rotation.outcome !== 'succeed') return
    if (now - rotation.startedAt < rotation.durationMs) return
    rotation.steps.push('setSecret', 'testSecret', 'finishSecret')
    this.moveStage(secret, CURRENT, rotation.token)
    secret.versions.get(rotation.token)?.stages.delete(PENDING)
    secret.lastRotatedAt = now
    secret.rotation = undefined
    this.record(secret, rotation.startedAt + rotation.durationMs)
  }

  /** The secret a SecretId names in its primary region (within the call's scope, if any). */
  private find(secretId: unknown, allowDeleted = false): Secret {
    const id = String(secretId ?? '')
    const where = this.scope
    const secret = this.secrets.find(
      (s) =>
        (!where || (s.region === where.region && (where.account === undefined || s.account === where.account))) &&
        (s.name === id || s.arn === id || s.arn.slice(0, -7) === id)
    )
    if (!secret) throw notFound("Secrets Manager can't find the specified secret.")
    if (secret.deletedAt !== undefined && !allowDeleted) {
      throw invalidRequest("You can't perform this operation on the secret because it was marked for deletion.")
    }
    return secret
  }

  private stagesMap(secret: Secret): Record<string, string[]> {
    const map: Record<string, string[]> = {}
    for (const v of secret.versions.values()) if (v.stages.size > 0) map[v.id] = [...v.stages]
    return map
  }

  /** The value of the version carrying a label, for tests and the demo. */
  valueOf(name: string, stage = CURRENT): string | undefined {
    this.advance()
    const secret = this.find(name, true)
    return this.versionWith(secret, stage)?.value
  }

  stagesOf(name: string): Record<string, string[]> {
    this.advance()
    return this.stagesMap(this.find(name, true))
  }

  versionCount(name: string): number {
    this.advance()
    return this.find(name, true).versions.size
  }

  /** Every version's value and labels, oldest first, for tests that check what a run wrote. */
  versionsOf(name: string): { id: string; value?: string; stages: string[] }[] {
    this.advance()
    return [...this.find(name, true).versions.values()]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((v) => ({ id: v.id, value: v.value, stages: [...v.stages] }))
  }

  /** The replica a SecretId names in a region, if the secret has one there that was created. */
  private findReplica(secretId: unknown, region: string, account?: string): { secret: Secret; replica: Replica; arn: string } | undefined {
    const id = String(secretId ?? '')
    for (const secret of this.secrets) {
      if (account !== undefined && secret.account !== account) continue
      const replica = secret.replicas.find((r) => r.region === region && r.status === 'InSync')
      if (!replica) continue
      const arn = replicaArn(secret, region)
      if (secret.name === id || arn === id || arn.slice(0, -7) === id) return { secret, replica, arn }
    }
    return undefined
  }

  /** The staging labels a replica shows now: the primary's as they were lagMs ago. */
  private replicaStages(secret: Secret, replica: Replica): Record<string, string[]> {
    const seen = this.now() - replica.lagMs
    return secret.history.filter((h) => h.at <= seen).pop()?.stages ?? secret.history[0].stages
  }

  /** When a replica region first showed a version as AWSCURRENT (for checking rollout order). */
  currentInRegionSince(name: string, region: string, versionId: string): number | undefined {
    this.advance()
    const secret = this.find(name, true)
    if (region === secret.region) return secret.history.find((h) => h.stages[versionId]?.includes(CURRENT))?.at
    const replica = secret.replicas.find((r) => r.region === region && r.status === 'InSync')
    const at = secret.history.find((h) => h.stages[versionId]?.includes(CURRENT))?.at
    return replica && at !== undefined ? at + replica.lagMs : undefined
  }

  /**
   * One call, in the region and account of the keys that signed it: a secret is found there as
   * its primary or as a replica, never in another account or region.
   */
  handle(operation: string, input: Input, call: Call): unknown {
    if ('SecretId' in input) {
      const found = this.findReplica(input.SecretId, call.region, call.account)
      if (found) return this.handleReplica(operation, input, found)
    }
    this.scope = call
    try {
      const result = dispatch<SecretsManagerModel>(this, this.operations, operation, input, call)
      if (this.isWrite(operation)) this.record(this.find(input.SecretId, true), this.now())
      return result
    } finally {
      this.scope = undefined
    }
  }

  /** A replica answers reads from the primary's past state and refuses writes, as AWS does. */
  private handleReplica(operation: string, input: Input, found: { secret: Secret; replica: Replica; arn: string }): unknown {
    const { secret, replica, arn } = found
    if (this.isWrite(operation)) {
      throw invalidParameter("Operation not permitted on a replica secret. Call must be made in primary secret's region.")
    }
    const stages = this.replicaStages(secret, replica)
    const version = (id: string) => secret.versions.get(id) as Version
    switch (operation) {
      case 'DescribeSecret':
        return { ...this.describeSecret({ SecretId: secret.arn }), ARN: arn, VersionIdsToStages: stages }
      case 'GetSecretValue': {
        const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : CURRENT)
        const id = input.VersionId ? String(input.VersionId) : Object.keys(stages).find((v) => stages[v].includes(stage as string))
        if (!id || !(id in stages) || (stage && !stages[id].includes(stage))) {
          throw notFound("Secrets Manager can't find the specified secret value for staging label or version.")
        }
        return {
          ARN: arn,
          Name: secret.name,
          VersionId: id,
          SecretString: version(id).value,
          VersionStages: stages[id],
          CreatedDate: epochSeconds(version(id).createdAt)
        }
      }
      case 'ListSecretVersionIds':
        return {
          ARN: arn,
          Name: secret.name,
          Versions: Object.keys(stages).map((id) => ({
            VersionId: id,
            VersionStages: stages[id],
            CreatedDate: epochSeconds(version(id).createdAt)
          }))
        }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by this endpoint`)
    }
  }

  private isWrite(operation: string): boolean {
    return this.operations.some((o) => o.name === operation && o.write)
  }

  /** What the primary region answers; a replica answers only the reads of handleReplica. */
  static readonly OPERATIONS: readonly Operation<SecretsManagerModel>[] = [
    { name: 'DescribeSecret', write: false, handler: (m, input) => m.describeSecret(input) },
    { name: 'GetSecretValue', write: false, handler: (m, input) => m.getSecretValue(input) },
    { name: 'PutSecretValue', write: true, handler: (m, input) => m.putSecretValue(input) },
    { name: 'RotateSecret', write: true, handler: (m, input) => m.rotateSecret(input) },
    { name: 'UpdateSecretVersionStage', write: true, handler: (m, input) => m.updateSecretVersionStage(input) },
    { name: 'ListSecretVersionIds', write: false, handler: (m, input) => m.listSecretVersionIds(input) },
    { name: 'GetRandomPassword', write: false, handler: (m, input) => m.getRandomPassword(input) }
  ]

  readonly operations = SecretsManagerModel.OPERATIONS

  private describeSecret(input: Input) {
    const s = this.find(input.SecretId, true)
    return {
      ARN: s.arn,
      Name: s.name,
      RotationEnabled: s.rotationEnabled,
      RotationLambdaARN: s.rotationLambdaArn,
      // Kept while rotation is turned off: the schedule RotateSecret would turn back on.
      RotationRules: s.rotationEnabled === undefined ? undefined : { AutomaticallyAfterDays: 30 },
      OwningService: s.owningService,
      PrimaryRegion: s.replicas.length > 0 ? s.region : undefined,
      ReplicationStatus:
        s.replicas.length > 0
          ? s.replicas.map((r) => ({
              Region: r.region,
              KmsKeyId: 'alias/aws/secretsmanager',
              Status: r.status,
              StatusMessage: r.statusMessage
            }))
          : undefined,
      LastRotatedDate: s.lastRotatedAt === undefined ? undefined : epochSeconds(s.lastRotatedAt),
      DeletedDate: s.deletedAt === undefined ? undefined : epochSeconds(s.deletedAt),
      VersionIdsToStages: this.stagesMap(s)
    }
  }

  private getSecretValue(input: Input) {
    const s = this.find(input.SecretId)
    const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : CURRENT)
    const version = input.VersionId ? s.versions.get(String(input.VersionId)) : this.versionWith(s, stage as string)
    if (!version || (stage && !version.stages.has(stage))) {
      throw notFound("Secrets Manager can't find the specified secret value for staging label or version.")
    }
    return {
      ARN: s.arn,
      Name: s.name,
      VersionId: version.id,
      SecretString: version.value,
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.createdAt)
    }
  }

  private putSecretValue(input: Input) {
    const s = this.find(input.SecretId)
    const token = String(input.ClientRequestToken ?? '')
    if (token.length < 32 || token.length > 64) throw invalidParameter('ClientRequestToken must be 32-64 characters.')
    if (typeof input.SecretString !== 'string') throw invalidParameter('You must provide either SecretString or SecretBinary.')
    const existing = s.versions.get(token)
    if (existing) {
      if (existing.value !== input.SecretString) {
        throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.")
      }
      return { ARN: s.arn, Name: s.name, VersionId: existing.id, VersionStages: [...existing.stages] }
    }
    this.checkVersionQuota(s)
    const stages = (input.VersionStages as string[] | undefined) ?? [CURRENT]
    const version = this.addVersion(s, input.SecretString, stages, this.now(), token)
    return { ARN: s.arn, Name: s.name, VersionId: version.id, VersionStages: [...version.stages] }
  }

  private rotateSecret(input: Input) {
    const s = this.find(input.SecretId)
    const token = String(input.ClientRequestToken ?? randomUuid(this.random))
    const existing = s.versions.get(token)
    if (existing) return { ARN: s.arn, Name: s.name, VersionId: existing.id }
    const pending = this.versionWith(s, PENDING)
    if (pending && !pending.stages.has(CURRENT)) {
      throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.")
    }
    if (input.RotationLambdaARN) s.rotationLambdaArn = String(input.RotationLambdaARN)
    // A secret managed by another service rotates without a Lambda (managed rotation).
    if (!s.rotationLambdaArn && !s.owningService) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.')
    this.checkVersionQuota(s)
    s.rotationEnabled = true
    const spec = s.rotationSpec ?? { durationMs: 1000, outcome: 'succeed' as const, enabled: true }
    // createSecret: the rotation function puts the new value under AWSPENDING.
    this.addVersion(s, `rotated-${randomUuid(this.random)}`, [PENDING], this.now(), token)
    s.rotation = { token, startedAt: this.now(), outcome: spec.outcome, durationMs: spec.durationMs, steps: ['createSecret'] }
    return { ARN: s.arn, Name: s.name, VersionId: token }
  }

  /** Every version of the last 24 hours is kept, so frequent writes reach the quota. */
  private checkVersionQuota(secret: Secret): void {
    const recent = [...secret.versions.values()].filter((v) => this.now() - v.createdAt < 24 * 3600_000).length
    if (recent >= secret.versionQuota) {
      throw new AwsError('LimitExceededException', 'The request failed because it would exceed one of the Secrets Manager quotas.')
    }
  }

  private updateSecretVersionStage(input: Input) {
    const s = this.find(input.SecretId)
    const stage = String(input.VersionStage ?? '')
    const holder = this.versionWith(s, stage)
    const moveTo = input.MoveToVersionId === undefined ? undefined : String(input.MoveToVersionId)
    const removeFrom = input.RemoveFromVersionId === undefined ? undefined : String(input.RemoveFromVersionId)
    if (moveTo && !s.versions.has(moveTo)) throw invalidParameter(`Version ${moveTo} not found.`)
    if (holder && holder.id !== moveTo && holder.id !== removeFrom) {
      throw invalidParameter(
        `The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`
      )
    }
    if (removeFrom && !moveTo) s.versions.get(removeFrom)?.stages.delete(stage)
    else this.moveStage(s, stage, moveTo)
    return { ARN: s.arn, Name: s.name }
  }

  private listSecretVersionIds(input: Input) {
    const s = this.find(input.SecretId)
    return {
      ARN: s.arn,
      Name: s.name,
      Versions: [...s.versions.values()]
        .filter((v) => v.stages.size > 0 || input.IncludeDeprecated)
        .map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], CreatedDate: epochSeconds(v.createdAt) }))
    }
  }

  private getRandomPassword(input: Input) {
    const length = Number(input.PasswordLength ?? 32)
    if (!Number.isInteger(length) || length < 1 || length > 4096) throw invalidParameter('PasswordLength must be between 1 and 4096.')
    const exclude = new Set(String(input.ExcludeCharacters ?? ''))
    let alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    if (!input.ExcludePunctuation) alphabet += '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
    const chars = [...alphabet].filter((c) => !exclude.has(c))
    if (chars.length === 0) throw invalidParameter('ExcludeCharacters leaves no characters to choose from.')
    const password = Array.from({ length }, () => chars[Math.floor(this.random() * chars.length)]).join('')
    return { RandomPassword: password }
  }
}
