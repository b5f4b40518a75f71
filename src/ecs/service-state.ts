import { describeAwsError } from '../aws/errors.js'
import type { Clock } from '../clock.js'
import type { ServiceRef } from '../service-list.js'
import type { Observation, StartedDeployment } from './kinds/kind.js'
import type { PreviousTasks, ServiceOutcome } from './outcome.js'
import type { RolloutProof } from './rollout-proof.js'
import type { SecretReference } from './secret-references.js'

/**
 * Where one service is in a round: planned (not redeployed yet), started (the redeploy was
 * accepted), observed (seen rolling out at least once), finished (an end status and why).
 */
export type Phase = 'planned' | 'started' | 'observed' | 'finished'

export type EndStatus = 'succeeded' | 'failed' | 'timed-out'

interface Entry {
  phase: Phase
  kind?: string
  startedAt?: number
  deployment?: StartedDeployment
  progress?: string
  runningCount?: number
  desiredCount?: number
  end?: { status: EndStatus; reason?: string; at: number }
  proof?: RolloutProof
  previousTasks?: PreviousTasks
}

export class TransitionError extends Error {
  override name = 'TransitionError'
}

/**
 * The one owner of every service's state in a round. The redeploy and the poller run at the
 * same time and hand over through these transitions; nothing else writes a service's state.
 * The report is a snapshot taken when it is published, so a cancelled run reports what was
 * known at that moment.
 */
export class ServiceTracker {
  private readonly entries = new Map<ServiceRef, Entry>()
  /** Why services still `planned` were not redeployed, if the run stops before they are. */
  private notRedeployedBecause = 'an earlier stage failed'
  private dryRun = false

  constructor(
    readonly refs: readonly ServiceRef[],
    private readonly clock: Clock,
    private readonly discoveredBy: (ref: ServiceRef) => SecretReference[] | undefined = () => undefined
  ) {
    for (const ref of refs) this.entries.set(ref, { phase: 'planned' })
  }

  /** What a planned service's reason says if the run ends before it is redeployed. */
  holdBecause(reason: string): void {
    this.notRedeployedBecause = reason
  }

  /** Dry run: planned services are reported as `planned`, not `skipped`. */
  markDryRun(): void {
    this.dryRun = true
  }

  /** How each service will be redeployed (the kind's description), decided at preflight. */
  assignKind(ref: ServiceRef, kind: string): void {
    this.entry(ref, ['planned']).kind = kind
  }

  start(ref: ServiceRef, deployment: StartedDeployment): void {
    const entry = this.entry(ref, ['planned'])
    Object.assign(entry, {
      phase: 'started',
      startedAt: this.clock.now(),
      deployment,
      runningCount: deployment.runningCount,
      desiredCount: deployment.desiredCount
    })
  }

  /** The redeploy was refused (e.g. UpdateService failed): the service ends without starting. */
  refuse(ref: ServiceRef, reason: string): void {
    this.close(this.entry(ref, ['planned']), 'failed', reason)
  }

  /** A look at a rolling-out deployment that did not end it. */
  observe(ref: ServiceRef, observation: Extract<Observation, { state: 'in-progress' }>): void {
    const entry = this.entry(ref, ['started', 'observed'])
    Object.assign(entry, {
      phase: 'observed',
      progress: observation.progress,
      runningCount: observation.runningCount ?? entry.runningCount,
      desiredCount: observation.desiredCount ?? entry.desiredCount
    })
  }

  /** The deployment ended. Counts, when given, are the final ones of our deployment. */
  finish(
    ref: ServiceRef,
    status: EndStatus,
    reason?: string,
    counts: { runningCount?: number; desiredCount?: number; tasksStartedBy?: string; previousTasks?: PreviousTasks } = {}
  ): void {
    const entry = this.entry(ref, ['started', 'observed'])
    entry.previousTasks = counts.previousTasks
    if (counts.tasksStartedBy && entry.deployment) entry.deployment = { ...entry.deployment, tasksStartedBy: counts.tasksStartedBy }
    if (counts.runningCount !== undefined) entry.runningCount = counts.runningCount
    if (counts.desiredCount !== undefined) entry.desiredCount = counts.desiredCount
    this.close(entry, status, reason)
  }

  /**
   * After a success: what the running tasks prove. A problem, or tasks that could not be checked
   * (an Error), turns the success into a failure.
   */
  prove(ref: ServiceRef, proof: RolloutProof | Error): void {
    const entry = this.entry(ref, ['finished'])
    if (entry.end?.status !== 'succeeded') throw new TransitionError(`${ref.label}: only a deployment that rolled out is proven`)
    if (proof instanceof Error) {
      entry.end = { ...entry.end, status: 'failed', reason: `rolled out, but its tasks could not be checked: ${describeAwsError(proof)}` }
      return
    }
    entry.proof = proof
    if (proof.note) entry.end = { ...entry.end, reason: [entry.end.reason, proof.note].filter(Boolean).join('; ') }
    if (proof.problem)
      entry.end = { ...entry.end, status: 'failed', reason: `rolled out, but the running tasks do not prove it: ${proof.problem}` }
  }

  /** Adds AWS's own words to a finished service's reason. */
  explain(ref: ServiceRef, details: readonly string[]): void {
    const entry = this.entry(ref, ['finished'])
    if (details.length && entry.end) entry.end.reason = [entry.end.reason, ...details].filter(Boolean).join('; ')
  }

  phase(ref: ServiceRef): Phase {
    return this.entry(ref).phase
  }

  /** Services whose deployment started and has not ended: what the poller follows. */
  rollingOut(): ServiceOutcome[] {
    return this.refs.filter((ref) => ['started', 'observed'].includes(this.entry(ref).phase)).map((ref) => this.outcome(ref))
  }

  /** One service as the report shows it now. */
  outcome(ref: ServiceRef, cancelled = false): ServiceOutcome {
    const e = this.entry(ref)
    const rolling = e.phase === 'started' || e.phase === 'observed'
    const outcome: ServiceOutcome = {
      ref,
      status: e.end?.status ?? (rolling ? 'started' : this.dryRun ? 'planned' : 'skipped'),
      reason: this.reasonOf(ref, e, cancelled),
      kind: e.kind,
      deploymentId: e.deployment?.deploymentId,
      tasksStartedBy: e.deployment?.tasksStartedBy,
      previousTasks: e.previousTasks,
      startedAt: e.startedAt,
      deploymentCreatedAt: e.deployment?.createdAt,
      durationSeconds: e.end && e.startedAt !== undefined ? (e.end.at - e.startedAt) / 1000 : undefined,
      runningCount: e.runningCount,
      desiredCount: e.desiredCount,
      discoveredBy: this.discoveredBy(ref),
      proof: e.proof
    }
    for (const key of Object.keys(outcome) as (keyof ServiceOutcome)[]) if (outcome[key] === undefined) delete outcome[key]
    return outcome
  }

  /** Every service, in the order given, as the report shows them now. */
  snapshot(options: { cancelled?: boolean } = {}): ServiceOutcome[] {
    return this.refs.map((ref) => this.outcome(ref, options.cancelled))
  }

  private reasonOf(ref: ServiceRef, e: Entry, cancelled: boolean): string | undefined {
    switch (e.phase) {
      case 'finished':
        return e.end?.reason
      case 'planned':
        if (this.dryRun) return `would be redeployed: ${this.discoveredBy(ref) ? 'it reads the secret' : 'listed'}`
        return `not redeployed: ${this.notRedeployedBecause}`
      default:
        return cancelled ? `still rolling out when the run was cancelled${e.progress ? ` (${e.progress})` : ''}` : e.progress
    }
  }

  private close(entry: Entry, status: EndStatus, reason: string | undefined): void {
    Object.assign(entry, { phase: 'finished', end: { status, reason, at: this.clock.now() } })
  }

  private entry(ref: ServiceRef, allowed?: Phase[]): Entry {
    const entry = this.entries.get(ref)
    if (!entry) throw new TransitionError(`${ref.label} is not part of this round`)
    if (allowed && !allowed.includes(entry.phase)) {
      throw new TransitionError(`${ref.label}: cannot go from ${entry.phase} (allowed from ${allowed.join(', ')})`)
    }
    return entry
  }
}
