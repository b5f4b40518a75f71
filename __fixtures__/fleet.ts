import type { ServiceOutcome, ServiceStatus } from '../src/ecs/outcome.js'

/** The reason ECS gives a task that cannot read its secret: long, as real ones are. */
export const STOPPED_REASON =
  'deployment failed: tasks failed to start (circuit breaker); stopped task: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User is not authorized to perform secretsmanager:GetSecretValue'

/**
 * Outcomes of a fleet of `count` services spread over `clusters` clusters (`c0`..), named
 * `svc0`..; `statusOf(i)` says how service i ended.
 */
export function fleet(count: number, clusters: number, statusOf: (i: number) => ServiceStatus): ServiceOutcome[] {
  return Array.from({ length: count }, (_, i) => {
    const clusterName = `c${i % clusters}`
    const service = `svc${i}`
    const status = statusOf(i)
    return {
      ref: { cluster: clusterName, clusterName, service, region: 'eu-west-1', label: `${clusterName}/${service}`, line: i + 1 },
      status,
      deploymentId: `ecs-svc/${1000 + i}`,
      durationSeconds: 60 + (i % 300),
      runningCount: 2,
      desiredCount: 2,
      reason:
        status === 'failed'
          ? STOPPED_REASON
          : status === 'timed-out'
            ? 'still rolling out at deployment-timeout (30m 0s): 1/2 running'
            : undefined
    }
  })
}
