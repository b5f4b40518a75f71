import { setTimeout as delay } from 'node:timers/promises'

/** Time as pollers see it; tests pass a fake so waits take no real time. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    await delay(ms)
  }
}
