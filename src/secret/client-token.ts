import { createHash, randomBytes } from 'node:crypto'
import type { RunContext } from '../settings/index.js'

/** What makes one write of a run recognisable by a later attempt of the same run and step. */
export interface WriteIdentity {
  run: RunContext
  /** The secret's ARN (not the name given), so a name and its ARN are one secret. */
  secretArn: string
  mode: string
  jsonKey?: string
}

/**
 * The ClientRequestToken (and so the VersionId) of one write, shaped as a UUID:
 *
 *   pppppppp-pppp-pppp-aaaa-rrrrrrrrrrrr
 *
 * `p` is a hash of the run, job, step and what the step changes (never of the value: version
 * ids are visible to anyone who may describe the secret), `a` the run attempt, `r` random. Every
 * write gets its own version, even two steps or two matrix legs of one run; a later attempt of the
 * same step finds the versions earlier attempts wrote by `p` and `a`. The SDK sends the same token
 * on its own retries, so a retried call never makes a second version. Outside a runner (no run
 * id) the whole token is random.
 */
export function versionToken(identity: WriteIdentity, random: (bytes: number) => Buffer = randomBytes): string {
  const tail = random(6).toString('hex')
  const prefix = stepPrefix(identity)
  if (!prefix) {
    const hex = random(10).toString('hex') + tail
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
  }
  return `${prefix.slice(0, 8)}-${prefix.slice(8, 12)}-${prefix.slice(12, 16)}-${attemptHex(identity.run.attempt)}-${tail}`
}

/**
 * Which attempt of this run and step wrote a version, or undefined when it is not one of theirs
 * (another step, another run, the console, a rotation function).
 */
export function attemptThatWrote(versionId: string, identity: WriteIdentity): number | undefined {
  const prefix = stepPrefix(identity)
  const match = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-[0-9a-f]{12}$/.exec(versionId)
  if (!prefix || !match || match[1] + match[2] + match[3] !== prefix) return undefined
  return parseInt(match[4], 16)
}

/** Versions written by earlier attempts of this run and step (the current attempt's own are not earlier). */
export function isEarlierAttempt(versionId: string, identity: WriteIdentity): boolean {
  const attempt = attemptThatWrote(versionId, identity)
  return attempt !== undefined && attempt < Number(identity.run.attempt)
}

function stepPrefix({ run, secretArn, mode, jsonKey }: WriteIdentity): string | undefined {
  if (!run.id) return undefined
  const parts = ['secret-rollout/v2', run.repository ?? '', run.id, run.job ?? '', run.step ?? '', secretArn, mode, jsonKey ?? '']
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16)
}

function attemptHex(attempt: string): string {
  const n = Number(attempt)
  return (Number.isInteger(n) && n > 0 && n <= 0xffff ? n : 1).toString(16).padStart(4, '0')
}
