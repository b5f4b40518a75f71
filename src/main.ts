import * as core from './text/core.js'
import { readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'
import { systemClock, type Clock } from './clock.js'
import { ServiceTracker } from './ecs/service-state.js'
import { publishReport } from './report/publish.js'
import type { StageContext } from './run/context.js'
import { cancelledBecause, reportOf, stoppedBecause, type RunState } from './run/state.js'
import { WriteGate } from './run/writes.js'
import { readSettings } from './settings/index.js'
import { Stage } from './stages.js'

export interface RunOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
  /** Aborted when the workflow is cancelled: stop, report what is known, fail. */
  signal?: AbortSignal
}

/**
 * On cancel the runner sends SIGINT, SIGTERM 7.5 s later and kills the process 2.5 s after that:
 * the report is out within 5 s of the first signal. Writes in flight get a moment to answer (their
 * SDK calls are aborted, so this is short); the tracking issue gets what is left.
 */
const SETTLE_MS = 1000
const REPORT_WITHIN_MS = 4000

/**
 * The whole step: the stages in order, cut short on cancellation, and a report published
 * whatever happens. Anything thrown, Error or not, fails the step with the stage it stopped in.
 * This file alone records stage results in the run's state; stages return them.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const state: RunState = { stage: Stage.Input, writes: new WriteGate(options.signal) }
  let cancelledAt = Date.now()
  options.signal?.addEventListener(
    'abort',
    () => {
      state.cancelledIn ??= state.stage
      cancelledAt = Date.now()
    },
    { once: true }
  )
  // Aborted when the pipeline ends, however it ends: waits left in the background (replicas) stop with it.
  const ended = new AbortController()
  const groups = stageGroups()
  const ctx: StageContext = {
    clock: options.clock ?? systemClock,
    env: options.env ?? process.env,
    signal: AbortSignal.any([options.signal, ended.signal].filter((s): s is AbortSignal => s !== undefined)),
    log: { info: (m) => core.info(m), warn: (m) => core.warning(m), mask: (v) => core.setSecret(v), group: (title) => groups.start(title) },
    writes: state.writes
  }
  const work = pipeline(state, ctx)
  try {
    await untilAborted(work, options.signal)
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack)
    if (options.signal?.aborted) {
      // No write is sent after the cancel, and no stage starts: let the pipeline stop and the
      // writes in flight end (their SDK calls are aborted), so the report knows what they did.
      await Promise.race([work.catch(() => undefined), delay(SETTLE_MS, undefined, { ref: false })])
      await state.writes.idle(SETTLE_MS)
      state.error = cancelledBecause(state)
    } else {
      state.error = stoppedBecause(state.stage, error)
    }
  } finally {
    ended.abort()
    // The report is printed after the last stage's group ends, so its annotations are never folded away.
    groups.end()
    const isCancelled = options.signal?.aborted ?? false
    await publishReport(reportOf(state, isCancelled), {
      trackingIssue: state.settings?.trackingIssue,
      trackingIssueWithinMs: isCancelled ? Math.max(0, REPORT_WITHIN_MS - (Date.now() - cancelledAt)) : undefined
    })
  }
}

/**
 * inputs -> credentials -> read-only checks (secret, discovery, services) -> change the secret ->
 * redeploy and wait -> (opt-in) roll back. Nothing is written to AWS until every check has passed.
 * The stages that talk to AWS are loaded only once the inputs are read: a bad input is told
 * without parsing the SDK.
 */
async function pipeline(state: RunState, ctx: StageContext): Promise<void> {
  const settings = readSettings({
    getInput: (name) => core.getInput(name, { trimWhitespace: false }),
    env: ctx.env,
    readFile: (path) => readFileSync(path),
    mask: (value) => core.setSecret(value)
  })
  state.settings = settings
  state.round = new ServiceTracker(settings.services, ctx.clock)
  const { awsStages } = await import('./run/pipeline.js')
  await awsStages(state, ctx, settings, { getIDToken: (audience) => core.getIDToken(audience) })
}

/** One collapsible `::group::` per stage in the log: a new one ends the previous; `end` closes the last. */
function stageGroups(): { start(title: string): void; end(): void } {
  let open = false
  const end = () => {
    if (open) core.endGroup()
    open = false
  }
  return {
    start: (title) => {
      end()
      core.startGroup(title)
      open = true
    },
    end
  }
}

/** Resolves or rejects with the work, or rejects as soon as the signal is aborted. */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work
  // The work goes on in the background after an abort (it sends no write); its outcome no longer matters.
  work.catch(() => undefined)
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('cancelled'))
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}
