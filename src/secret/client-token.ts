import { createHash, randomUUID } from 'node:crypto'
import type { RunContext } from '../settings.js'

/**
 * The ClientRequestToken (and so the VersionId) of the new version: the same for every try
 * within one run attempt, so neither an SDK retry nor a re-run of the step creates a second
 * version; a new attempt is a new change. Formatted as a UUID (Secrets Manager wants 32-64 chars).
 */
export function clientRequestToken(run: RunContext, secretId: string, mode: string): string {
  if (!run.id) return randomUUID()
  const hex = createHash('sha256').update(`secret-rollout\0${run.id}\0${run.attempt}\0${mode}\0${secretId}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
