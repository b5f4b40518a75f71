import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { Place } from '../../aws/place.js'
import type { Clock } from '../../clock.js'
import type { WriteGate } from '../../run/writes.js'
import type { ServiceRef } from '../../service-list.js'
import type { PreviousTasks, ServiceOutcome } from '../outcome.js'

export type { Place }

/** What every kind may use: clients per place, the clock, and the deadline of this round. */
export interface KindContext {
  /** For reads (DescribeServices, ListTasks, DescribeServiceDeployments...). */
  ecs(place: Place): ECSClient
  /** For UpdateService: paced to ECS's write rate. */
  ecsWriter(place: Place): ECSClient
  /** For services redeployed through CodeDeploy. */
  codedeploy(place: Place): CodeDeployClient
  /** A warning for the log (e.g. a kind falling back to a less detailed view). */
  warn(message: string): void
  clock: Clock
  /** Epoch ms: writes still throttled then give up; the poller stops then. */
  deadline: number
  /** A cancelled run: writes are not sent once it aborts, and calls in flight stop waiting. */
  signal?: AbortSignal
  /** Sends the round's writes (UpdateService, CreateDeployment): checked against the signal, recorded for the report. */
  writes?: WriteGate
}

/** The deployment a kind started: followed by its id from then on. */
export interface StartedDeployment {
  deploymentId: string
  /** When AWS created it (filters events and tasks that belong to it). */
  createdAt?: Date
  runningCount?: number
  desiredCount?: number
  /** What the new tasks carry in `startedBy`, when not `deploymentId` (a CodeDeploy task set's id). */
  tasksStartedBy?: string
}

/**
 * What one look at a started deployment tells. `unseen`: this look failed (the poller warns and
 * looks again next round); it says nothing about the deployment. A success's `note` says what is
 * still going on (e.g. bake time after traffic shifted).
 */
export type Observation =
  | { state: 'in-progress'; progress: string; runningCount?: number; desiredCount?: number }
  | {
      state: 'succeeded'
      runningCount?: number
      desiredCount?: number
      /** What is still going on after this success (e.g. bake time after traffic shifted). */
      note?: string
      /** What the new tasks carry in `startedBy`, when not the deployment id (a CodeDeploy task set's id). */
      tasksStartedBy?: string
      /** Why tasks of the previous revision may still run without failing the rollout proof (e.g. bake time). */
      previousTasks?: PreviousTasks
    }
  | { state: 'failed'; reason: string }
  | { state: 'unseen'; warning: string }

/**
 * One way of redeploying an ECS service, chosen per service from the preflight's
 * DescribeServices answer (deployment controller and strategy). The poller, the report and
 * cancellation are the same for every kind; a kind only knows how to start, look and explain.
 * An instance lives for one round, so it may remember what it saw (for `explain`).
 */
export interface DeploymentKind {
  /** Short name for logs and the `services` output, e.g. `rolling`. */
  readonly name: string
  /** How the summary says the service is redeployed, e.g. `rolling update (forced new deployment)`. */
  readonly description: string
  /** The AWS call `start` makes, for the reason when it is refused, e.g. `UpdateService`. */
  readonly startCall: string
  /** Starts the redeploy. Throws when AWS refuses (the service is then `failed` with the error). */
  start(ref: ServiceRef, ctx: KindContext): Promise<StartedDeployment>
  /** Looks at many started deployments at once (batched as the kind's API allows). */
  observe(outcomes: readonly ServiceOutcome[], ctx: KindContext): Promise<Map<ServiceRef, Observation>>
  /** Extra reasons, in AWS's words, for a deployment that failed or timed out. Never throws. */
  explain(outcome: ServiceOutcome, ctx: KindContext): Promise<string[]>
}

/**
 * Decides, before any write, how a service will be redeployed: a kind, or a reason it cannot be
 * (e.g. an EXTERNAL deployment controller). Registered in `kinds/index.ts`.
 */
export type KindChoice = { kind: DeploymentKind } | { refused: string }
