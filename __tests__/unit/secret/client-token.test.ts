import { describe, expect, it } from '@jest/globals'
import { attemptThatWrote, versionToken } from '../../../src/secret/client-token.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'

describe('version token', () => {
  const step = (fields: Partial<{ job: string; step: string; attempt: string; arn: string; mode: string; jsonKey: string }> = {}) => ({
    run: {
      id: '42',
      attempt: fields.attempt ?? '1',
      job: fields.job ?? 'rotate',
      step: fields.step ?? '__acme_secret-rollout',
      serverUrl: ''
    },
    secretArn: fields.arn ?? ARN,
    mode: fields.mode ?? 'put',
    jsonKey: fields.jsonKey
  })

  it('is new for every write, even of the same step and attempt (two matrix legs share both)', () => {
    const [a, b] = [versionToken(step()), versionToken(step())]
    expect(a).not.toBe(b)
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-0001-[0-9a-f]{12}$/)
    // Both are recognised as attempt 1 of the step, neither as an earlier attempt of attempt 1.
    expect([attemptThatWrote(a, step()), attemptThatWrote(b, step())]).toEqual([1, 1])
  })

  it('lets a later attempt of the same step find what attempt 1 wrote, and only that step', () => {
    const first = versionToken(step())
    expect(attemptThatWrote(first, step({ attempt: '3' }))).toBe(1)
    expect(attemptThatWrote(versionToken(step({ attempt: '2' })), step({ attempt: '3' }))).toBe(2)
    for (const other of [{ step: '__acme_secret-rollout_2' }, { job: 'other' }, { arn: `${ARN}x` }, { mode: 'rotate' }, { jsonKey: 'k' }]) {
      expect(attemptThatWrote(first, step(other))).toBeUndefined()
    }
    expect(attemptThatWrote('v1', step())).toBeUndefined()
  })

  it("is random outside a runner, and never taken for a run's", () => {
    const local = { run: { attempt: '1', serverUrl: '' }, secretArn: ARN, mode: 'put' }
    const a = versionToken(local)
    expect(a).not.toBe(versionToken(local))
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(attemptThatWrote(a, local)).toBeUndefined()
  })

  it('recognises only a whole version id, not one inside a longer one', () => {
    const id = versionToken(step())
    expect(attemptThatWrote(`x${id}`, step({ attempt: '2' }))).toBeUndefined()
    expect(attemptThatWrote(`${id}0`, step({ attempt: '2' }))).toBeUndefined()
  })

  it.each([
    ['0', '0001'],
    ['not a number', '0001'],
    ['70000', '0001'],
    ['65535', 'ffff'],
    ['12', '000c']
  ])('marks attempt %s as %s', (attempt, hex) => {
    expect(versionToken(step({ attempt })).split('-')[3]).toBe(hex)
  })

  it('keeps the version ids of two repositories apart, even with the same run id', () => {
    const here = versionToken(step())
    const elsewhere = { ...step({ attempt: '2' }), run: { ...step({ attempt: '2' }).run, repository: 'acme/other' } }
    expect(attemptThatWrote(here, elsewhere)).toBeUndefined()
  })
})
