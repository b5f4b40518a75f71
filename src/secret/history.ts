import { createHash } from 'node:crypto'
import { GetSecretValueCommand, ListSecretVersionIdsCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { attemptThatWrote, isEarlierAttempt, type WriteIdentity } from './client-token.js'
import { AWSCURRENT, AWSPREVIOUS, versionWithLabel, type VersionStages } from './staging-labels.js'

export interface VersionEntry {
  id: string
  stages: string[]
  createdAt?: Date
}

/** Every version of the secret, labelled or not (unlabelled ones are kept for a while before deletion). */
export async function listVersions(sm: SecretsManagerClient, arn: string, signal?: AbortSignal): Promise<VersionEntry[]> {
  const versions: VersionEntry[] = []
  let NextToken: string | undefined
  do {
    const page = await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true, MaxResults: 100, NextToken }), {
      abortSignal: signal
    })
    for (const v of page.Versions ?? []) {
      if (v.VersionId) versions.push({ id: v.VersionId, stages: v.VersionStages ?? [], createdAt: v.CreatedDate })
    }
    NextToken = page.NextToken
  } while (NextToken)
  return versions
}

/** The text of one version, read by its id. */
export async function versionValue(sm: SecretsManagerClient, arn: string, versionId: string): Promise<string | undefined> {
  const answer = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionId: versionId }))
  return answer.SecretString
}

/** Values are compared by digest, so the run keeps no more plain copies than it must. */
export function digestOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/**
 * The version a rollback moves AWSCURRENT back to: the one that was AWSCURRENT before this run's
 * first attempt changed it, found by id. When AWSCURRENT is not this step's, that is AWSCURRENT;
 * when an earlier attempt wrote AWSCURRENT, it is AWSPREVIOUS (PutSecretValue put it there);
 * when both are this step's (attempts that wrote after a rollback), the newest version made
 * before this step's first, read from the version list.
 */
export async function versionBeforeRun(
  stages: VersionStages,
  identity: WriteIdentity,
  list: () => Promise<VersionEntry[]>
): Promise<{ versionId?: string; judgedBy: 'AWSCURRENT' | 'AWSPREVIOUS' | 'creation time' }> {
  const ours = (id: string) => attemptThatWrote(id, identity) !== undefined
  const current = versionWithLabel(stages, AWSCURRENT)
  if (!current || !isEarlierAttempt(current, identity)) return { versionId: current, judgedBy: 'AWSCURRENT' }
  const previous = versionWithLabel(stages, AWSPREVIOUS)
  if (previous && !ours(previous)) return { versionId: previous, judgedBy: 'AWSPREVIOUS' }
  const versions = await list()
  const time = (v: VersionEntry) => v.createdAt?.getTime() ?? Number.POSITIVE_INFINITY
  const firstOurs = Math.min(...versions.filter((v) => ours(v.id)).map(time))
  const before = versions.filter((v) => !ours(v.id) && time(v) < firstOurs).sort((a, b) => time(b) - time(a))[0]
  return { versionId: before?.id, judgedBy: 'creation time' }
}
