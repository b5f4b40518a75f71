import type { Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import type { ServiceRef } from '../service-list.js'
import type { DeploymentKind, KindContext, Observation } from './kinds/kind.js'
import type { ServiceOutcome } from './outcome.js'
import type { RolloutProof } from './rollout-proof.js'
import type { ServiceTracker } from './service-state.js'

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
   * Checks the running tasks of the services that rolled out in one round (verify-rollout), all
   * at once so a prover can batch its calls. A service missing from the answer is not proven.
   */
  verify?: (outcomes: readonly ServiceOutcome[]) => Promise<Map<ServiceRef, RolloutProof | Error>>
}

/**
 * The pause before the next poll: 2 s at first, then a tenth of the time waited so far, up to
 * 15 s. A rollout's end is noticed within about 10% of its length, while a long wait costs few calls.
 */
export function nextPollDelay(elapsedMs: number): number {
  return Math.round(Math.min(15_000, Math.max(2_000, elapsedMs / 10)))
}

/**
 * One poller for every service, whatever its kind: each round asks every kind about its
 * waiting services at once (batched as the kind's API allows) and hands what it learns to the
 * tracker. Services finish independently; the wait ends when each has ended or time runs out.
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

  while (!signal?.aborted && (!redeployDone || tracker.rollingOut().length > 0)) {
    const now = clock.now()
    if (now >= deadline) break
    await clock.sleep(Math.min(nextPollDelay(now - begin), deadline - now))
    const waiting = tracker.rollingOut()
    if (signal?.aborted) break
    if (waiting.length === 0) continue

    const observations = await observeAll(waiting, kindOf, ctx)
    const ended: { outcome: ServiceOutcome; failed: boolean }[] = []
    const warnings = new Set<string>()
    for (const outcome of waiting) {
      const seen = observations.get(outcome.ref)
      if (!seen) continue
      if (seen.state === 'unseen') warnings.add(`${outcome.ref.clusterName}: ${seen.warning}`)
      else if (seen.state === 'in-progress') tracker.observe(outcome.ref, seen)
      else {
        tracker.finish(outcome.ref, seen.state, seen.state === 'failed' ? seen.reason : seen.note, seen.state === 'succeeded' ? seen : {})
        ended.push({ outcome: tracker.outcome(outcome.ref), failed: seen.state === 'failed' })
      }
    }
    for (const warning of warnings) options.warn(`Could not see some deployments this round, will look again: ${warning}`)
    await settle(tracker, kindOf, ctx, ended, options)
    const left = tracker.rollingOut().length
    if (left > 0) options.log(`Waiting for ${left} of ${tracker.refs.length} deployments (${Math.round((clock.now() - begin) / 1000)}s)`)
  }

  if (signal?.aborted) return
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
    options
  )
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

/** For services that just ended: the proof of those that rolled out, the explanation of the others, a log line each. */
async function settle(
  tracker: ServiceTracker,
  kindOf: (ref: ServiceRef) => DeploymentKind,
  ctx: KindContext,
  ended: readonly { outcome: ServiceOutcome; failed: boolean }[],
  options: WaitOptions
): Promise<void> {
  const rolledOut = ended.filter((e) => !e.failed).map((e) => e.outcome)
  if (rolledOut.length > 0 && options.verify) {
    const proofs = await options.verify(rolledOut).catch((error: unknown) => new Map(rolledOut.map((o) => [o.ref, error as Error])))
    for (const outcome of rolledOut) tracker.prove(outcome.ref, proofs.get(outcome.ref) ?? new Error('no answer for this service'))
  }
  await Promise.all(
    ended.map(async ({ outcome, failed }) => {
      // Only a deployment that failed or timed out has events and stopped tasks worth quoting.
      if (failed) {
        tracker.explain(outcome.ref, await kindOf(outcome.ref).explain(tracker.outcome(outcome.ref), ctx))
      }
      const now = tracker.outcome(outcome.ref)
      const mark = now.status === 'succeeded' ? 'rolled out' : now.status
      options.log(`${now.ref.label}: ${mark} after ${Math.round(now.durationSeconds ?? 0)}s${now.reason ? ` (${now.reason})` : ''}`)
    })
  )
}
