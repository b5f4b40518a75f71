import { describe, expect, it } from '@jest/globals'
import type { Deployment } from '@aws-sdk/client-ecs'
import { deployment, service } from '../../../__fixtures__/ecs.js'
import { expectedDurationMs, longestExpectedFirst } from '../../../src/ecs/redeploy-order.js'

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000)
const completed = (seconds: number, fields: Partial<Deployment> = {}) =>
  deployment('ecs-svc/1', { rolloutState: 'COMPLETED', createdAt: at(0), updatedAt: at(seconds), ...fields })

describe('expectedDurationMs', () => {
  it("is the PRIMARY deployment's createdAt -> updatedAt once it completed", () => {
    expect(expectedDurationMs(service('a', [completed(42)]))).toBe(42_000)
    expect(expectedDurationMs(service('a', [deployment('ecs-svc/2', { status: 'ACTIVE' }), completed(7)]))).toBe(7_000)
  })

  it.each([
    ['no service', undefined],
    ['no deployments', service('a', [])],
    ['a PRIMARY still rolling out', service('a', [completed(42, { rolloutState: 'IN_PROGRESS' })])],
    ['no updatedAt', service('a', [completed(42, { updatedAt: undefined })])],
    ['updatedAt equal to createdAt', service('a', [completed(0)])]
  ])('is unknown with %s', (_, described) => {
    expect(expectedDurationMs(described)).toBeUndefined()
  })
})

describe('longestExpectedFirst', () => {
  it('starts the slowest first, keeps the given order for ties, and puts unknown durations last in the given order', () => {
    const durations: Record<string, number | undefined> = { a: 10, b: undefined, c: 60, d: 30, e: undefined, f: 60, g: 10 }
    const order = longestExpectedFirst(Object.keys(durations), (name) => durations[name])
    expect(order).toEqual(['c', 'f', 'd', 'a', 'g', 'b', 'e'])
  })

  it('leaves its input alone', () => {
    const input = ['x', 'y']
    longestExpectedFirst(input, (name) => (name === 'y' ? 5 : 1))
    expect(input).toEqual(['x', 'y'])
  })
})
