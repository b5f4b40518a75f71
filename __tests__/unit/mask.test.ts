import { describe, expect, it } from '@jest/globals'
import { maskSecretValue } from '../../src/secret/mask.js'

/** Every value registered with the runner's masking, in order. */
function masked(value: string): string[] {
  const calls: string[] = []
  maskSecretValue(value, (v) => calls.push(v))
  return calls
}

describe('maskSecretValue', () => {
  it('masks a one-line value once, as a whole', () => {
    expect(masked('s3cret-value')).toEqual(['s3cret-value'])
  })

  it('masks each line of a multi-line value on its own, trimmed, whatever the line ending', () => {
    const pem = '-----BEGIN KEY-----\r\nAbCdEf123\n  indented-line  \n-----END KEY-----'
    expect(masked(pem)).toEqual([pem, '-----BEGIN KEY-----', 'AbCdEf123', 'indented-line', '-----END KEY-----'])
  })

  it('masks fragments of 3 characters or more, and none shorter (they would hide ordinary log text)', () => {
    expect(masked('abc\nab\n\nx')).toEqual(['abc\nab\n\nx', 'abc'])
  })

  it('masks every string and number field of a JSON secret, at any depth, and no other value', () => {
    const json = JSON.stringify({
      nothing: null,
      user: 'admin',
      password: 'p@ss-1',
      port: 5432,
      flag: true,
      nested: { token: 'tok-123', hosts: ['db-a.internal', 7, { key: 'deep-key' }] }
    })
    expect(masked(json)).toEqual([json, 'admin', 'p@ss-1', '5432', 'tok-123', 'db-a.internal', 'deep-key'])
  })

  it('masks the fields and the lines of a pretty-printed JSON secret, each once', () => {
    const json = JSON.stringify({ password: 'p@ss-1', again: 'p@ss-1' }, null, 2)
    expect(masked(json)).toEqual([json, '"password": "p@ss-1",', '"again": "p@ss-1"', 'p@ss-1'])
  })
})
