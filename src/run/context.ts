import type { Clock } from '../clock.js'
import type { WriteGate } from './writes.js'

/** How a stage tells the step's log: through the orchestrator, which alone writes to the runner. */
export interface StageLog {
  info(message: string): void
  warn(message: string): void
  /** Registers a value with the runner's masking. */
  mask(value: string): void
  /** Starts the log's collapsible group for a stage, ending the previous one. */
  group(title: string): void
}

/** What every stage is given. Stages return results; only the orchestrator records them in the run's state. */
export interface StageContext {
  clock: Clock
  env: NodeJS.ProcessEnv
  /** Aborted on cancel, and when the pipeline ends (waits left in the background stop with it). */
  signal?: AbortSignal
  log: StageLog
  /** The one gate every write goes through. */
  writes: WriteGate
}
