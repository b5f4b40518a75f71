import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDurationSeconds } from '../../src/duration.js'

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['45', 45],
    [' 2m ', 120]
  ])('parses %s', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds))

  it.each(['', '1.5m', '10 minutes', '-1', '1d', 'm'])('refuses %j', (text) => expect(parseDurationSeconds(text)).toBeUndefined())

  it('formats for people', () => {
    expect([formatDuration(42), formatDuration(125), formatDuration(3720)]).toEqual(['42s', '2m 5s', '1h 2m'])
  })
})
