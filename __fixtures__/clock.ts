import type { Clock } from '../src/clock.js'

/** A clock whose sleep advances time at once: pollers run instantly and deterministically. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
    sleeps
  }
}
