import { describe, expect, it } from '@jest/globals'
import { chunks, groupBy } from '../../src/collections.js'

describe('groupBy', () => {
  it('keeps each group in the order of the items, and the groups in the order they first appear', () => {
    const grouped = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0])
    expect([...grouped.entries()]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']]
    ])
  })

  it('gives no groups for no items', () => {
    expect(groupBy([], String).size).toBe(0)
  })
})

describe('chunks', () => {
  it('cuts a list into pieces of at most the size, the last one shorter', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunks([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(chunks([], 10)).toEqual([])
  })
})
