import { describe, expect, it } from '@jest/globals'
import { isDue, staleAfterMs } from '../../../src/ecs/poll-schedule.js'

describe('staleAfterMs', () => {
  it('is 2 s at first, then a tenth of the time rolling out, up to 15 s', () => {
    expect([0, 20_000, 60_000, 600_000].map(staleAfterMs)).toEqual([2_000, 2_000, 6_000, 15_000])
  })
})

describe('isDue', () => {
  /** The times a service is looked at when rounds come every `roundMs` until `untilMs`. */
  const looks = (expectedMs: number | undefined, untilMs: number, roundMs = 500) => {
    const at: number[] = []
    for (let now = 0; now <= untilMs; now += roundMs) {
      if (isDue({ startedAt: 0, lastLookAt: at[at.length - 1], expectedMs }, now)) at.push(now)
    }
    return at
  }

  it('without an expected duration, looks when the last look is stale', () => {
    expect(looks(undefined, 30_000)).toEqual([
      0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000, 16_000, 18_000, 20_000, 22_000, 24_500, 27_000, 30_000
    ])
  })

  it('spreads looks out far from the expected end, then looks every round near it', () => {
    // Expected 20 s: halfway to 16 s (8 s), then 4 s, then stale after 2 s, then every round from 16 s.
    expect(looks(20_000, 18_000)).toEqual([0, 8_000, 12_000, 14_000, 16_000, 16_500, 17_000, 17_500, 18_000])
  })

  it('spreads looks at most 10 s apart however long the expected deployment', () => {
    expect(looks(600_000, 30_000, 1000)).toEqual([0, 10_000, 20_000, 30_000])
  })

  it('falls back to the staleness rule long past the expected end (a stuck deployment)', () => {
    const now = 100_000
    expect(isDue({ startedAt: 0, lastLookAt: now - 1000, expectedMs: 20_000 }, now)).toBe(false)
    expect(isDue({ startedAt: 0, lastLookAt: now - 10_000, expectedMs: 20_000 }, now)).toBe(true)
  })
})
