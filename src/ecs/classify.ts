import type { Service } from '@aws-sdk/client-ecs'

export type Observation = { state: 'in-progress'; progress: string } | { state: 'succeeded' } | { state: 'failed'; reason: string }

/**
 * Where the deployment this action started stands, from one DescribeServices answer.
 * A forced redeploy keeps the task definition, so the deployment is followed by its id:
 * after a circuit-breaker rollback the service runs an older deployment with the same
 * task definition, which must not count as success.
 */
export function classifyDeployment(service: Service, deploymentId: string): Observation {
  if (service.status !== 'ACTIVE') return { state: 'failed', reason: `service became ${service.status}` }
  const deployments = service.deployments ?? []
  const ours = deployments.find((d) => d.id === deploymentId)
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  if (!ours) {
    const rolledBack = primary ? `; the service now runs deployment ${primary.id}` : ''
    return { state: 'failed', reason: `deployment ${deploymentId} is gone (rolled back by the circuit breaker?)${rolledBack}` }
  }
  if (ours.rolloutState === 'FAILED') {
    return { state: 'failed', reason: `deployment failed: ${ours.rolloutStateReason ?? 'no reason given'}` }
  }
  if (ours.status !== 'PRIMARY') {
    return {
      state: 'failed',
      reason: `deployment ${deploymentId} was replaced by ${primary?.id ?? 'another deployment'} (a rollback or another deploy)`
    }
  }
  const done =
    ours.rolloutState === 'COMPLETED' || (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount)
  if (done) return { state: 'succeeded' }
  return {
    state: 'in-progress',
    progress: `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running, ${ours.pendingCount ?? 0} pending, rollout ${ours.rolloutState ?? 'without state'}`
  }
}
