import type { ECSClient, Service } from '@aws-sdk/client-ecs'
import type { Clock } from '../clock.js'
import { describeAwsError } from '../aws/errors.js'
import { describeInBatches } from './batches.js'
import { classifyDeployment } from './classify.js'
import { explainDeployment } from './failure-details.js'
import type { ServiceOutcome } from './outcome.js'
import type { RolloutProof } from './rollout-proof.js'

export interface WaitOptions {
  timeoutSeconds: number
  clock: Clock
  log(message: string): void
  warn(message: string): void
  /** Stops polling at once (a cancelled run). */
  signal?: AbortSignal
  /** The redeploy still under way: services join the wait as their deployments start. */
  redeploying?: Promise<unknown>
  /** Checks the running tasks of a service that rolled out (verify-rollout). */
  verify?: (outcome: ServiceOutcome) => Promise<RolloutProof>
}

/**
 * The pause before the next poll: 2 s at first, then a tenth of the time waited so far, up to
 * 15 s. A rollout's end is noticed within about 10% of its length, while a long wait costs few calls.
 */
export function nextPollDelay(elapsedMs: number): number {
  return Math.round(Math.min(15_000, Math.max(2_000, elapsedMs / 10)))
}

/**
 * One poller for every service: each round is one DescribeServices per cluster batch of 10.
 * Services finish independently; the wait ends when each has an outcome or time runs out.
 * Outcomes are updated in place as they are learnt, so a cancelled run can report them.
 */
export async function waitForDeployments(
  ecs: (region: string) => ECSClient,
  outcomes: ServiceOutcome[],
  options: WaitOptions
): Promise<ServiceOutcome[]> {
  const { clock, signal } = options
  const lastSeen = new Map<ServiceOutcome, Service>()
  const rollingOut = () => outcomes.filter((o) => o.status === 'started')
  let redeployDone = !options.redeploying
  void options.redeploying?.finally(() => (redeployDone = true))
  const begin = clock.now()
  const deadline = begin + options.timeoutSeconds * 1000

  const finish = async (outcome: ServiceOutcome, fields: Partial<ServiceOutcome>, explain: boolean) => {
    Object.assign(outcome, fields, { durationSeconds: (clock.now() - (outcome.startedAt ?? begin)) / 1000 })
    if (outcome.status === 'succeeded' && options.verify) {
      try {
        outcome.proof = await options.verify(outcome)
        if (outcome.proof.problem)
          Object.assign(outcome, {
            status: 'failed',
            reason: `rolled out, but the running tasks do not prove it: ${outcome.proof.problem}`
          })
      } catch (error) {
        Object.assign(outcome, { status: 'failed', reason: `rolled out, but its tasks could not be checked: ${describeAwsError(error)}` })
      }
    }
    if (explain) {
      const details = await explainDeployment(ecs(outcome.ref.region), outcome, lastSeen.get(outcome))
      if (details.length) outcome.reason = [outcome.reason, ...details].filter(Boolean).join('; ')
    }
    const mark = outcome.status === 'succeeded' ? 'rolled out' : outcome.status
    options.log(
      `${outcome.ref.label}: ${mark} after ${Math.round(outcome.durationSeconds ?? 0)}s${outcome.reason ? ` (${outcome.reason})` : ''}`
    )
  }

  while (!signal?.aborted && (!redeployDone || rollingOut().length > 0)) {
    const now = clock.now()
    if (now >= deadline) break
    await clock.sleep(Math.min(nextPollDelay(now - begin), deadline - now))
    const waiting = rollingOut()
    if (signal?.aborted) break
    if (waiting.length === 0) continue

    const seen = await describeInBatches(
      ecs,
      waiting.map((o) => o.ref)
    )
    const finished: Promise<void>[] = []
    const errors = new Set<string>()
    for (const outcome of waiting) {
      const found = seen.get(outcome.ref)
      if (!found) continue
      if ('error' in found) {
        errors.add(`${outcome.ref.clusterName}: ${describeAwsError(found.error)}`)
        continue
      }
      if ('missing' in found) {
        finished.push(finish(outcome, { status: 'failed', reason: `service disappeared (${found.missing})` }, false))
        continue
      }
      lastSeen.set(outcome, found.service)
      const ours = found.service.deployments?.find((d) => d.id === outcome.deploymentId)
      outcome.runningCount = ours?.runningCount ?? found.service.runningCount
      outcome.desiredCount = ours?.desiredCount ?? found.service.desiredCount
      const observed = classifyDeployment(found.service, outcome.deploymentId as string)
      if (observed.state === 'succeeded') finished.push(finish(outcome, { status: 'succeeded', reason: undefined }, false))
      else if (observed.state === 'failed') finished.push(finish(outcome, { status: 'failed', reason: observed.reason }, true))
      else outcome.reason = observed.progress
    }
    for (const error of errors) options.warn(`DescribeServices failed this round, will poll again: ${error}`)
    await Promise.all(finished)
    const left = rollingOut().length
    if (left > 0) options.log(`Waiting for ${left} of ${outcomes.length} deployments (${Math.round((clock.now() - begin) / 1000)}s)`)
  }

  if (!signal?.aborted) {
    // The redeploy gives up on throttled calls at the same deadline.
    await options.redeploying
    await Promise.all(
      rollingOut().map((outcome) =>
        finish(
          outcome,
          { status: 'timed-out', reason: `still in progress after ${options.timeoutSeconds}s: ${outcome.reason ?? 'not yet observed'}` },
          true
        )
      )
    )
  }
  return outcomes
}
