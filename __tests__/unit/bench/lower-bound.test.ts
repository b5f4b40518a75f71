import { describe, expect, it } from '@jest/globals'
import { lowerBoundSeconds, peakInWindow } from '../../../bench/lower-bound.js'

const write = { burst: 2, perSecond: 1 }

describe('lowerBoundSeconds', () => {
  it('is the longest deployment when every start fits in the burst', () => {
    expect(lowerBoundSeconds(new Map([['r', [20_000, 20_000]]]), write)).toBe(20)
  })

  it('gives the earliest starts to the longest deployments and ends with the latest finish', () => {
    // Starts at 0, 0, 1, 2 s; longest first ends at max(10+0, 9+0, 5+1, 1+2) = 10 (shortest first: 10+2 = 12).
    expect(lowerBoundSeconds(new Map([['r', [1_000, 10_000, 5_000, 9_000]]]), write)).toBe(10)
    // The write rate sets the end when many deployments are short: 4 starts at 0, 0, 1, 2 s of 3 s each.
    expect(lowerBoundSeconds(new Map([['r', [3_000, 3_000, 3_000, 3_000]]]), write)).toBe(5)
  })

  it('counts each region against its own bucket', () => {
    const one = new Map([['r', [3_000, 3_000, 3_000, 3_000]]])
    const split = new Map([
      ['a', [3_000, 3_000]],
      ['b', [3_000, 3_000]]
    ])
    expect(lowerBoundSeconds(one, write)).toBe(5)
    expect(lowerBoundSeconds(split, write)).toBe(3)
  })
})

describe('peakInWindow', () => {
  it('finds the most calls in any window, wherever it starts', () => {
    expect(peakInWindow([], 10)).toBe(0)
    expect(peakInWindow([0, 5, 9, 10, 11, 30], 10)).toBe(4) // 5, 9, 10, 11; 0 and 10 are a whole window apart
    expect(peakInWindow([30, 0, 1, 2], 10)).toBe(3)
  })
})
