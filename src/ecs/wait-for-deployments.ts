import { pause, type Clock } from '../clock.js'
import { formatDuration } from '../duration.js'
import { describeAwsError } from '../aws/errors.js'
import { placeKey } from '../aws/place.js'
import type { ServiceRef } from '../service-list.js'
import type { DeploymentKind, KindContext, Observation } from './kinds/kind.js'
import type { ServiceOutcome } from './outcome.js'
import type { RolloutProof } from './rollout-proof.js'
import type { ServiceTracker } from './service-state.js'
import { isDue, staleAfterMs } from './poll-schedule.js'

export interface WaitOptions {
  timeoutSeconds: number
  clock: Clock
  log(message: string): void
  warn(message: string): void
  /** Stops polling at once (a cancelled run). */
  signal?: AbortSignal
  /** The redeploy still under way: services join the wait as their deployments start. */
  redeploying?: Promise<unknown>
  /**
   * Checks the running tasks of services that rolled out (verify-rollout), many at once so a
   * prover can batch its calls. A service missing from the answer is not proven.
   */
  verify?: (outcomes: readonly ServiceOutcome[]) => Promise<Map<ServiceRef, RolloutProof | Error>>
  /**
   * How long the previous deployment of a service took: services are looked at every round near
   * that point and seldom before it. Without it, every service is looked at when its last look is stale.
   */
  expectedMs?: (ref: ServiceRef) => number | undefined
  /**
   * The pause between rounds when an API budget paces the reads (the rounds then take as long as
   * the budget needs). Without it: `nextPollDelay`.
   */
  pollDelayMs?: number
}

/**
 * The pause before the next poll: 2 s at first, then a tenth of the time waited so far, up to
 * 15 s. A rollout's end is noticed within about 10% of its length, while a long wait costs few calls.
 */
export function nextPollDelay(elapsedMs: number): number {
  return staleAfterMs(elapsedMs)
}

/**
 * Proofs are gathered per cluster and made when no other service of the cluster is still
 * rolling out, or when the oldest has waited this long: one listing of a cluster's tasks then
 * proves many services.
 */
export const PROOF_BATCH_MS = 30_000

/** The one-line total of a long wait is logged at most this often (and once when the wait ends). */
export const TOTAL_EVERY_MS = 60_000

/**
 * One poller for every service, whatever its kind: each round asks every kind about the
 * waiting services that are due a look (batched as the kind's API allows) and hands what it
 * learns to the tracker. Services finish independently; the wait ends when each has ended or
 * time runs out.
 */
export async function waitForDeployments(
  tracker: ServiceTracker,
  kindOf: (ref: ServiceRef) => DeploymentKind,
  ctx: KindContext,
  options: WaitOptions
): Promise<void> {
  const { clock, signal } = options
  let redeployDone = !options.redeploying
  void options.redeploying?.finally(() => (redeployDone = true))
  const begin = clock.now()
  const deadline = begin + options.timeoutSeconds * 1000
  const lastLookAt = new Map<ServiceRef, number>()
  const proofs = new ProofBatches()
  const progressLog = new ProgressLog(options.log)
  let totalAt = begin
  const due = (o: ServiceOutcome, now: number) =>
    isDue({ startedAt: o.startedAt ?? begin, lastLookAt: lastLookAt.get(o.ref), expectedMs: options.expectedMs?.(o.ref) }, now)

  // Also waits for proofs still settling (early success: ECS removes the previous tasks afterwards).
  while (!signal?.aborted && (!redeployDone || tracker.rollingOut().length > 0 || proofs.pending())) {
    const now = clock.now()
    if (now >= deadline) break
    await pause(clock, Math.min(options.pollDelayMs ?? nextPollDelay(now - begin), deadline - now), signal)
    if (signal?.aborted) break
    const lookAt = clock.now()
    const waiting = tracker.rollingOut().filter((o) => due(o, lookAt))
    if (waiting.length > 0) {
      for (const o of waiting) lastLookAt.set(o.ref, lookAt)
      const observations = await observeAll(waiting, kindOf, ctx)
      const ended: { outcome: ServiceOutcome; failed: boolean }[] = []
      const warnings = new Set<string>()
      for (const outcome of waiting) {
        const seen = observations.get(outcome.ref)
        if (!seen) continue
        if (seen.state === 'unseen') warnings.add(`${outcome.ref.clusterName}: ${seen.warning}`)
        else if (seen.state === 'in-progress') {
          tracker.observe(outcome.ref, seen)
          progressLog.observed(outcome.ref, seen)
        } else {
          tracker.finish(outcome.ref, seen.state, seen.state === 'failed' ? seen.reason : seen.note, seen.state === 'succeeded' ? seen : {})
          ended.push({ outcome: tracker.outcome(outcome.ref), failed: seen.state === 'failed' })
        }
      }
      for (const warning of warnings) options.warn(`Could not see some deployments this round, will look again: ${warning}`)
      await settle(tracker, kindOf, ctx, ended, options, proofs)
    }
    await proveReady(tracker, proofs, options, clock.now() - PROOF_BATCH_MS)
    const at = clock.now()
    if (at - totalAt >= TOTAL_EVERY_MS && tracker.rollingOut().length > 0) {
      totalAt = at
      options.log(waitingTotal(tracker, kindOf, at - begin))
    }
  }

  if (signal?.aborted) return
  // At the deadline every proof is made, with what has not settled yet reported as left.
  await proveReady(tracker, proofs, options, Number.POSITIVE_INFINITY, true)
  // The redeploy gives up on throttled calls at the same deadline.
  await options.redeploying
  const late = tracker.rollingOut()
  for (const outcome of late) {
    const where = outcome.reason ?? 'not yet observed'
    tracker.finish(outcome.ref, 'timed-out', `still in progress after ${options.timeoutSeconds}s: ${where}`)
  }
  await settle(
    tracker,
    kindOf,
    ctx,
    late.map((outcome) => ({ outcome, failed: true })),
    options,
    proofs
  )
  const ended = endTotal(tracker.snapshot(), clock.now() - begin)
  if (ended) options.log(ended)
}

/**
 * Logs `cluster/service: <progress>` for a service still rolling out only when what it shows
 * (its progress text or task counts) differs from what was last logged for it, so a long wait
 * reads as a list of changes rather than the same line every round.
 */
class ProgressLog {
  private readonly last = new Map<ServiceRef, string>()

  constructor(private readonly log: (message: string) => void) {}

  observed(ref: ServiceRef, seen: Extract<Observation, { state: 'in-progress' }>): void {
    const counts = seen.desiredCount === undefined ? undefined : `${seen.runningCount ?? 0}/${seen.desiredCount}`
    const key = `${seen.progress}\n${counts ?? ''}`
    if (this.last.get(ref) === key) return
    this.last.set(ref, key)
    const shown = counts && !seen.progress.includes(counts) ? `${seen.progress} (${counts} running)` : seen.progress
    this.log(`${ref.label}: ${shown}`)
  }
}

/** `Waiting for 3 of 10 deployments (2m 5s): 1 in BAKE_TIME, 2 rolling`: services grouped by stage or kind. */
function waitingTotal(tracker: ServiceTracker, kindOf: (ref: ServiceRef) => DeploymentKind, waitedMs: number): string {
  const left = tracker.rollingOut()
  const groups = new Map<string, number>()
  for (const o of left) {
    const key = stageOf(o, kindOf)
    groups.set(key, (groups.get(key) ?? 0) + 1)
  }
  const parts = [...groups].map(([key, n]) => `${n} ${key}`).join(', ')
  return `Waiting for ${left.length} of ${tracker.refs.length} deployments (${formatDuration(waitedMs / 1000)}): ${parts}`
}

/** `in BAKE_TIME` when the progress names an ECS lifecycle stage, `not yet seen` before the first look, else the kind (`rolling`). */
function stageOf(outcome: ServiceOutcome, kindOf: (ref: ServiceRef) => DeploymentKind): string {
  if (!outcome.reason) return 'not yet seen'
  const stage = /^([A-Z][A-Z_]+)\b/.exec(outcome.reason)
  return stage ? `in ${stage[1]}` : kindOf(outcome.ref).name
}

/** `Wait ended after 2m 5s: 8 rolled out, 1 failed, 1 timed out`, or nothing when no deployment was followed. */
function endTotal(outcomes: readonly ServiceOutcome[], waitedMs: number): string | undefined {
  const words: [string, string][] = [
    ['succeeded', 'rolled out'],
    ['failed', 'failed'],
    ['timed-out', 'timed out']
  ]
  const parts = words.map(([status, word]) => [outcomes.filter((o) => o.status === status).length, word] as const).filter(([n]) => n > 0)
  if (parts.length === 0) return undefined
  return `Wait ended after ${formatDuration(waitedMs / 1000)}: ${parts.map(([n, word]) => `${n} ${word}`).join(', ')}`
}

/** Services that rolled out and wait for their proof, per cluster, with when the first of them joined. */
class ProofBatches {
  private readonly clusters = new Map<string, { since: number; outcomes: ServiceOutcome[] }>()
  /** Services whose proof is settling, with when that began. */
  readonly settling = new Map<ServiceRef, number>()
  /** Settling services waiting for their next look, and when it is due. */
  private readonly deferred = new Map<ServiceRef, { outcome: ServiceOutcome; due: number }>()

  pending(): boolean {
    return this.clusters.size > 0 || this.deferred.size > 0
  }

  /** Looks at a settling service again once its last look is stale (2 s at first, up to 15 s). */
  defer(outcome: ServiceOutcome, now: number): void {
    const since = this.settling.get(outcome.ref) ?? now
    this.settling.set(outcome.ref, since)
    this.deferred.set(outcome.ref, { outcome, due: now + staleAfterMs(now - since) })
  }

  /** Settling services due a look by `now` join their cluster's batch. */
  release(now: number): void {
    for (const [ref, { outcome, due }] of this.deferred) {
      if (due > now) continue
      this.deferred.delete(ref)
      this.add(outcome, now)
    }
  }

  add(outcome: ServiceOutcome, now: number): void {
    const key = clusterKey(outcome.ref)
    const batch = this.clusters.get(key) ?? { since: now, outcomes: [] }
    batch.outcomes.push(outcome)
    this.clusters.set(key, batch)
  }

  /** The batches to prove now: waited since before `waitedSince`, or with nothing left rolling out in their cluster. */
  take(stillRolling: ReadonlySet<string>, waitedSince: number): ServiceOutcome[] {
    const ready: ServiceOutcome[] = []
    for (const [key, batch] of this.clusters) {
      if (batch.since > waitedSince && stillRolling.has(key)) continue
      ready.push(...batch.outcomes)
      this.clusters.delete(key)
    }
    return ready
  }
}

const clusterKey = (ref: ServiceRef) => `${placeKey(ref)}/${ref.cluster}`

/**
 * Proves the batches that are ready, and logs each of their services. A proof still settling
 * (previous tasks that ECS is removing) is looked at again next round, until the deadline
 * (`final`), where what is left is reported.
 */
async function proveReady(
  tracker: ServiceTracker,
  proofs: ProofBatches,
  options: WaitOptions,
  waitedSince: number,
  final = false
): Promise<void> {
  proofs.release(final ? Number.POSITIVE_INFINITY : options.clock.now())
  const rolledOut = proofs.take(new Set(tracker.rollingOut().map((o) => clusterKey(o.ref))), waitedSince)
  if (rolledOut.length === 0 || !options.verify) return
  const answers = await options.verify(rolledOut).catch((error: unknown) => new Map(rolledOut.map((o) => [o.ref, error as Error])))
  const now = options.clock.now()
  for (const outcome of rolledOut) {
    let answer = answers.get(outcome.ref) ?? new Error('no answer for this service')
    const settlingSince = proofs.settling.get(outcome.ref)
    const waited = () => Math.round((now - (settlingSince ?? now)) / 1000)
    if (!(answer instanceof Error) && answer.settling) {
      if (!final) {
        if (settlingSince === undefined) options.log(`${outcome.ref.label}: rolled out; waiting while ${answer.note}`)
        proofs.defer(outcome, now)
        continue
      }
      answer = { ...answer, note: `after waiting ${waited()}s: ${answer.note}` }
    } else if (settlingSince !== undefined && !(answer instanceof Error)) {
      options.log(`${outcome.ref.label}: settled ${waited()}s later: no task of the previous revision left, every new task running`)
    }
    tracker.prove(outcome.ref, answer)
    logEnd(tracker.outcome(outcome.ref), options)
  }
}

function logEnd(now: ServiceOutcome, options: WaitOptions): void {
  const mark = now.status === 'succeeded' ? 'rolled out' : now.status
  options.log(`${now.ref.label}: ${mark} after ${Math.round(now.durationSeconds ?? 0)}s${now.reason ? ` (${now.reason})` : ''}`)
}

/** One look per kind, all kinds at once. */
async function observeAll(
  waiting: readonly ServiceOutcome[],
  kindOf: (ref: ServiceRef) => DeploymentKind,
  ctx: KindContext
): Promise<Map<ServiceRef, Observation>> {
  const byKind = new Map<DeploymentKind, ServiceOutcome[]>()
  for (const outcome of waiting) {
    const kind = kindOf(outcome.ref)
    byKind.set(kind, [...(byKind.get(kind) ?? []), outcome])
  }
  const looks = await Promise.all(
    [...byKind].map(([kind, outcomes]) =>
      kind.observe(outcomes, ctx).catch((error: unknown) => {
        const warning = describeAwsError(error)
        return new Map<ServiceRef, Observation>(outcomes.map((o) => [o.ref, { state: 'unseen', warning }]))
      })
    )
  )
  return new Map(looks.flatMap((look) => [...look]))
}

/**
 * For services that just ended: the explanation of those that did not roll out, and a log line
 * each; those that rolled out wait for their cluster's proof (verify-rollout) or are logged now.
 */
async function settle(
  tracker: ServiceTracker,
  kindOf: (ref: ServiceRef) => DeploymentKind,
  ctx: KindContext,
  ended: readonly { outcome: ServiceOutcome; failed: boolean }[],
  options: WaitOptions,
  proofs: ProofBatches
): Promise<void> {
  await Promise.all(
    ended.map(async ({ outcome, failed }) => {
      if (!failed && options.verify) return proofs.add(outcome, ctx.clock.now())
      // Only a deployment that failed or timed out has events and stopped tasks worth quoting.
      if (failed) tracker.explain(outcome.ref, await kindOf(outcome.ref).explain(tracker.outcome(outcome.ref), ctx))
      logEnd(tracker.outcome(outcome.ref), options)
    })
  )
}
