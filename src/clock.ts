import { setTimeout as delay } from 'node:timers/promises'

/** Time as pollers see it; tests pass a fake so waits take no real time. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or as soon as `signal` aborts (a clock may ignore the signal: `pause` does not). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    // An aborted wait resolves: the caller looks at the signal next, and no timer is left behind.
    await delay(ms, undefined, { signal }).catch(() => undefined)
  }
}

/** Sleeps on the clock, but resolves at once when the signal aborts, whatever the clock does with it. */
export function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return clock.sleep(ms)
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
    clock.sleep(ms, signal).then(done, done)
  })
}
