import type { ECSClient } from '@aws-sdk/client-ecs'
import { Inputs } from '../constants.js'
import { describeAwsError, errorName } from '../aws/errors.js'
import type { ServiceRef } from '../service-list.js'
import { describeInBatches } from './batches.js'

export class PreflightError extends Error {
  override name = 'PreflightError'
}

/**
 * Looks up every listed service before anything is written: each must exist and be ACTIVE.
 * Throws one error listing every bad line.
 */
export async function preflightServices(ecs: (region: string) => ECSClient, refs: readonly ServiceRef[]): Promise<void> {
  if (refs.length === 0) return
  const seen = await describeInBatches(ecs, refs)
  const problems: string[] = []
  for (const ref of refs) {
    const found = seen.get(ref)
    const where = `line ${ref.line} ${ref.label} (${ref.region})`
    if (!found) problems.push(`${where}: not looked up`)
    else if ('error' in found) {
      const name = errorName(found.error)
      if (name === 'ClusterNotFoundException') problems.push(`${where}: cluster "${ref.clusterName}" does not exist`)
      else problems.push(`${where}: ${describeAwsError(found.error)}`)
    } else if ('missing' in found) {
      problems.push(`${where}: service "${ref.service}" does not exist in cluster "${ref.clusterName}" (${found.missing})`)
    } else if (found.service.status !== 'ACTIVE') {
      problems.push(`${where}: service is ${found.service.status}, not ACTIVE`)
    }
  }
  if (problems.length > 0) {
    throw new PreflightError(
      `\`${Inputs.Services}\`: ${problems.length} of ${refs.length} services cannot be redeployed; nothing was changed:\n` +
        problems.map((p) => `  - ${p}`).join('\n')
    )
  }
}
