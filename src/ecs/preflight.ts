import type { ECSClient, Service } from '@aws-sdk/client-ecs'
import { Inputs } from '../constants.js'
import { describeAwsError, errorName } from '../aws/errors.js'
import type { Place } from '../aws/place.js'
import type { ServiceRef } from '../service-list.js'
import { describeInBatches } from './batches.js'
import type { DeploymentKind, KindChoice } from './kinds/kind.js'

export class PreflightError extends Error {
  override name = 'PreflightError'
}

/**
 * Looks up every service before anything is written: each must exist, be ACTIVE, and be of a
 * kind this action can redeploy. Returns the kind chosen for each; throws one error listing
 * every bad line.
 */
export async function preflightServices(
  ecs: (place: Place) => ECSClient,
  refs: readonly ServiceRef[],
  choose: (service: Service, ref: ServiceRef) => Promise<KindChoice>,
  warn: (message: string) => void = () => undefined
): Promise<Map<ServiceRef, DeploymentKind>> {
  const kinds = new Map<ServiceRef, DeploymentKind>()
  if (refs.length === 0) return kinds
  const seen = await describeInBatches(ecs, refs)
  // A kind may look further (CodeDeploy: the deployment group), for all services at once.
  const choices = new Map(
    await Promise.all(
      refs.map(async (ref) => {
        const found = seen.get(ref)
        const choice = found && 'service' in found && found.service.status === 'ACTIVE' ? await choose(found.service, ref) : undefined
        return [ref, choice] as const
      })
    )
  )
  const problems: string[] = []
  for (const ref of refs) {
    const found = seen.get(ref)
    const where = `line ${ref.line} ${ref.label} (${ref.region})`
    if (!found) problems.push(`${where}: not looked up`)
    else if ('error' in found) {
      const name = errorName(found.error)
      // Reached through this account's own credentials (or its role in cross-account-roles), so the cluster is really absent there.
      if (name === 'ClusterNotFoundException')
        problems.push(`${where}: cluster "${ref.clusterName}" does not exist${ref.account ? ` in account ${ref.account}` : ''}`)
      else problems.push(`${where}: ${describeAwsError(found.error)}`)
    } else if ('missing' in found) {
      problems.push(`${where}: service "${ref.service}" does not exist in cluster "${ref.clusterName}" (${found.missing})`)
    } else if (found.service.status !== 'ACTIVE') {
      problems.push(`${where}: service is ${found.service.status}, not ACTIVE`)
    } else {
      const choice = choices.get(ref) as KindChoice
      if ('refused' in choice) problems.push(`${where}: cannot be redeployed by this action: ${choice.refused}`)
      else kinds.set(ref, choice.kind)
      const rolling = deploymentInProgress(found.service)
      if (rolling) {
        warn(`${ref.label}: ${rolling} is still in progress; the new deployment replaces it, so this run also completes that rollout`)
      }
    }
  }
  if (problems.length > 0) {
    throw new PreflightError(
      `\`${Inputs.Services}\`: ${problems.length} of ${refs.length} services cannot be redeployed; nothing was changed:\n` +
        problems.map((p) => `  - ${p}`).join('\n')
    )
  }
  return kinds
}

/** A deployment of the service that has not finished (someone else's rollout), if any. */
export function deploymentInProgress(service: Service): string | undefined {
  const deployments = service.deployments ?? []
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  if (deployments.length > 1 || primary?.rolloutState === 'IN_PROGRESS') {
    return `deployment ${primary?.id ?? '?'} (rollout ${primary?.rolloutState ?? 'with more than one deployment'})`
  }
  const taskSets = service.taskSets ?? []
  if (taskSets.length > 1)
    return `a deployment with ${taskSets.length} task sets (${taskSets.map((t) => `${t.id} ${t.status}`).join(', ')})`
  return undefined
}
