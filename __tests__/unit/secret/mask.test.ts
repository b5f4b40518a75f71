import { describe, expect, it } from '@jest/globals'
import { putSettingsFrom, settingsFrom } from '../../../__fixtures__/settings.js'
import { maskParts, secretMasker } from '../../../src/secret/mask.js'
import { readSettings } from '../../../src/settings/index.js'

const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', mode: 'put' }

/** The `::add-mask::` values readSettings registers for a secret-file with `content`. */
function maskedForFile(content: string, inputs: Record<string, string> = {}): string[] {
  return settingsFrom({ ...base, 'secret-file': '/tmp/v', ...inputs }, undefined, { '/tmp/v': content }).masked
}

describe('masks for a new value, per line', () => {
  it('a PEM file: the whole block, without its trailing newline, and each line', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'
    expect(maskedForFile(pem)).toEqual([
      pem,
      pem.slice(0, -1),
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkq',
      'hkiG9w0BAQEFAASC',
      '-----END PRIVATE KEY-----'
    ])
  })

  it('a CRLF file: each line without its CR', () => {
    expect(maskedForFile('user=app\r\npassword=hunter2-pw\r\n')).toEqual([
      'user=app\r\npassword=hunter2-pw\r\n',
      'user=app\r\npassword=hunter2-pw',
      'user=app',
      'password=hunter2-pw'
    ])
  })

  it('a one-line file: the value as read and without its newline, which is what a log line holds', () => {
    expect(maskedForFile('hunter2-pw\n')).toEqual(['hunter2-pw\n', 'hunter2-pw'])
    expect(maskedForFile('hunter2-pw')).toEqual(['hunter2-pw'])
  })

  it('a given secret-string: the same rule', () => {
    expect(settingsFrom({ ...base, 'secret-string': 'one\ntwo-lines' }).masked).toEqual(['one\ntwo-lines', 'one', 'two-lines'])
  })

  it('a secret-string given with the wrong mode is masked all the same', () => {
    const masked: string[] = []
    const inputs: Record<string, string> = { ...base, mode: 'rotate', 'secret-string': 'stray-value\n' }
    const io = { getInput: (n: string) => inputs[n] ?? '', env: {}, readFile: () => '', mask: (v: string) => void masked.push(v) }
    expect(() => readSettings(io)).toThrow('`secret-string`: only applies to mode put')
    expect(masked).toEqual(['stray-value\n', 'stray-value'])
  })

  it('a secret-string is taken exactly, trailing newline included, as secret-file is', () => {
    const { settings } = putSettingsFrom({ ...base, 'secret-string': '  spaced-value\n' })
    expect(settings.value).toEqual({ kind: 'given', value: '  spaced-value\n', from: 'secret-string' })
    expect(() => settingsFrom({ ...base, 'secret-string': ' \n' })).toThrow('`secret-string`: is only whitespace')
  })
})

describe('which JSON fields are masked', () => {
  const json = JSON.stringify({
    username: 'postgres',
    password: 'Xy7-long-password',
    port: 5432,
    ssl: true,
    nothing: null,
    app: 'app',
    host: 'db.prod.internal',
    cluster: 'payments',
    nested: { token: 'tok-12345', short: 'db' }
  })

  it('strings of 6+ characters that are no part of a shown name; never numbers, booleans, keys or short strings', () => {
    expect(maskParts(json, ['payments', 'payments/postgres-proxy', 'postgres-proxy', 'prod/db'])).toEqual([
      json,
      'Xy7-long-password',
      'db.prod.internal',
      'tok-12345'
    ])
  })

  it('without names to keep, every string field of 6+ characters', () => {
    expect(maskParts(json)).toEqual([json, 'postgres', 'Xy7-long-password', 'db.prod.internal', 'payments', 'tok-12345'])
  })

  it('registers each part once over all the values of a run', () => {
    const registered: string[] = []
    const mask = secretMasker((v) => registered.push(v), [])
    mask('{"a":"same-secret"}')
    mask('{"b":"same-secret","c":"other-secret"}')
    expect(registered).toEqual(['{"a":"same-secret"}', 'same-secret', '{"b":"same-secret","c":"other-secret"}', 'other-secret'])
  })
})
