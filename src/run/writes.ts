/**
 * Every write the run sends to AWS, in order, and how it ended: the cancelled report says from
 * this exactly what was written, and a write whose answer never came is told as such.
 */
export interface WriteRecord {
  call: string
  /** What it changes, e.g. the secret's name or `cluster/service`. */
  target: string
  /** `unanswered`: sent, but the run was cancelled before AWS answered; it may have been applied. */
  state: 'sending' | 'done' | 'failed' | 'unanswered'
}

/** Thrown instead of sending a write once the run is cancelled. */
export class CancelledError extends Error {
  override name = 'CancelledError'
}

/**
 * The one gate every write goes through: it checks the cancellation signal right before the
 * call is sent, hands the signal to the SDK (which then stops waiting for the answer), and
 * records the call.
 */
export class WriteGate {
  private readonly log: WriteRecord[] = []

  constructor(readonly signal?: AbortSignal) {}

  async send<T>(call: string, target: string, write: (abortSignal?: AbortSignal) => Promise<T>): Promise<T> {
    if (this.signal?.aborted) throw new CancelledError(`${call} of ${target} was not sent: the run was cancelled`)
    const record: WriteRecord = { call, target, state: 'sending' }
    this.log.push(record)
    try {
      const answer = await write(this.signal)
      record.state = 'done'
      return answer
    } catch (error) {
      record.state = this.signal?.aborted ? 'unanswered' : 'failed'
      throw error
    }
  }

  /** Resolves once no write is waiting for its answer, or after `ms`. */
  async idle(ms: number): Promise<void> {
    const until = Date.now() + ms
    while (this.log.some((r) => r.state === 'sending') && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
  }

  /** A copy of the records, oldest first. */
  records(): WriteRecord[] {
    return this.log.map((r) => ({ ...r }))
  }
}
