import type { AwsClients } from '../aws/clients.js'
import { groupBy } from '../collections.js'
import type { DeploymentKind, KindContext } from '../ecs/kinds/kind.js'
import { MIN_POLL_MS } from '../ecs/poll-schedule.js'
import { redeployServices } from '../ecs/redeploy.js'
import { longestExpectedFirst } from '../ecs/redeploy-order.js'
import { proveRollouts } from '../ecs/rollout-proof.js'
import type { ServiceTracker } from '../ecs/service-state.js'
import { waitForDeployments } from '../ecs/wait-for-deployments.js'
import type { StageContext } from '../run/context.js'
import { waitForReplicas, type Replica, type ReplicaResult } from '../secret/replicas.js'
import type { ServiceRef } from '../service-list.js'
import type { Settings } from '../settings/index.js'

/** The version the services must pick up, and where it is replicated. */
export interface RolloutVersion {
  arn: string
  name: string
  versionId: string
  /** When Secrets Manager created it in the primary region: tasks started after it carry it. */
  createdAt?: Date
  replicas: readonly Replica[]
}

export interface RolloutRound {
  tracker: ServiceTracker
  kindOf(ref: ServiceRef): DeploymentKind
  expected: ReadonlyMap<ServiceRef, number | undefined>
  /** Check the running tasks of services that rolled out (verify-rollout). */
  verify: boolean
  /** Told when the redeploy starts and when the wait starts (the stage the run is in). */
  onPhase(phase: 'redeploy' | 'wait'): void
  /** Told each replica's result as it comes. */
  onReplicas?(results: ReplicaResult[]): void
}

/**
 * One round: start a new deployment of every service and (if asked) wait for them all, and
 * prove the running tasks read the new version. With replicas, services in a replica region
 * start only once their replica has the version. The wait runs alongside the redeploy and
 * follows each service from the moment its deployment starts.
 */
export async function rolloutStage(
  ctx: StageContext,
  settings: Settings,
  clients: AwsClients,
  version: RolloutVersion | undefined,
  round: RolloutRound
): Promise<void> {
  const { tracker, clock } = { tracker: round.tracker, clock: ctx.clock }
  const replicas = followReplicas(ctx, settings, clients, version, round.onReplicas)
  // In a replica region, tasks read the new value once the replica has it, not when it was created.
  const secretSince = (ref: ServiceRef) => replicas.currentAt(ref.region) ?? version?.createdAt
  const verify = round.verify
    ? async (outcomes: Parameters<typeof proveRollouts>[1]) => {
        const proofs = await Promise.all(
          [...groupBy(outcomes, (o) => o.ref.region).values()].map((group) => proveRollouts(clients.ecs, group, secretSince(group[0].ref)))
        )
        return new Map(proofs.flatMap((proof) => [...proof]))
      }
    : undefined

  round.onPhase('redeploy')
  ctx.log.info(`Forcing a new deployment of ${tracker.refs.length} services`)
  const kindCtx: KindContext = {
    ecs: clients.ecs,
    ecsWriter: clients.ecsWriter,
    codedeploy: clients.codedeploy,
    warn: ctx.log.warn,
    clock,
    deadline: clock.now() + settings.deploymentTimeoutSeconds * 1000,
    signal: ctx.signal,
    writes: ctx.writes
  }
  // Once UpdateService is rate-limited, the slowest deployments started first end the run soonest.
  const order = longestExpectedFirst(tracker.refs, (ref) => round.expected.get(ref))
  const redeploying = redeployServices(order, round.kindOf, tracker, kindCtx, settings.maxConcurrency, replicas.before)
  if (!settings.waitForServiceStability) {
    await redeploying
    return
  }
  round.onPhase('wait')
  await waitForDeployments(tracker, round.kindOf, kindCtx, {
    timeoutSeconds: settings.deploymentTimeoutSeconds,
    clock,
    log: ctx.log.info,
    warn: ctx.log.warn,
    signal: ctx.signal,
    redeploying,
    verify,
    expectedMs: (ref) => round.expected.get(ref),
    // The API budget paces the reads: rounds take as long as it needs, with a short pause between.
    pollDelayMs: MIN_POLL_MS
  })
}

/**
 * With replicas: follows each replica region until it has the version, so a service there
 * starts only then (or is refused with why: a Failed replica, or one that did not catch up
 * within rotation-timeout). Services in other regions are not held. The waits end with the
 * run's signal, which aborts when the pipeline ends.
 */
function followReplicas(
  ctx: StageContext,
  settings: Settings,
  clients: AwsClients,
  version: RolloutVersion | undefined,
  report: (results: ReplicaResult[]) => void = () => undefined
) {
  const replicas = version?.replicas ?? []
  if (!version || replicas.length === 0) return { before: undefined, currentAt: () => undefined }
  const waits = waitForReplicas(clients.secretsManager, version, replicas, {
    clock: ctx.clock,
    timeoutSeconds: settings.rotationTimeoutSeconds,
    log: ctx.log.info,
    signal: ctx.signal
  })
  const results = new Map<string, ReplicaResult>()
  for (const wait of waits.values()) {
    void wait.then((result) => {
      results.set(result.region, result)
      report(replicas.map((r) => results.get(r.region)).filter((r): r is ReplicaResult => Boolean(r)))
    })
  }
  return {
    before: async (ref: ServiceRef) => {
      const result = await waits.get(ref.region)
      return result && result.status !== 'in-sync' ? `not redeployed: ${result.reason}` : undefined
    },
    currentAt: (region: string) => results.get(region)?.currentAt
  }
}
