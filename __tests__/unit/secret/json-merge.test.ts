import { describe, expect, it } from '@jest/globals'
import { JsonMergeError, setJsonKey } from '../../../src/secret/json-merge.js'

describe('setJsonKey', () => {
  it('changes only the value of the key: big and decimal numbers, exponents and escapes of other keys stay byte for byte', () => {
    const text = '{\n  "id": 12345678901234567890,\n  "rate": 1.50, "max":1e3,\n  "name": "caf\\u00e9",\n  "password": "old"\n}\n'
    expect(setJsonKey(text, 'password', 'n3w"pw\\')).toBe(
      '{\n  "id": 12345678901234567890,\n  "rate": 1.50, "max":1e3,\n  "name": "caf\\u00e9",\n  "password": "n3w\\"pw\\\\"\n}\n'
    )
  })

  it('replaces a value of another type (a number, an object) with the string', () => {
    expect(setJsonKey('{"port":5432,"token":{"a":1}}', 'token', 'x')).toBe('{"port":5432,"token":"x"}')
  })

  it('adds a new key after the last one, in the layout of the keys before it', () => {
    expect(setJsonKey('{\n  "a": 1,\n  "b": 2\n}', 'c', 'v')).toBe('{\n  "a": 1,\n  "b": 2,\n  "c": "v"\n}')
    expect(setJsonKey('{\n\t"a" : 1\n}', 'c', 'v')).toBe('{\n\t"a" : 1,\n\t"c" : "v"\n}')
    expect(setJsonKey('{"a":1,"b":2}', 'c', 'v')).toBe('{"a":1,"b":2,"c":"v"}')
  })

  it('adds the first key to an empty object, whatever surrounds it', () => {
    expect(setJsonKey(' {} ', 'k', 'v')).toBe(' {"k": "v"} ')
    expect(setJsonKey('{}\n\n\n', 'k', 'v')).toBe('{"k": "v"}\n\n\n')
    expect(setJsonKey('{\n}', 'k', 'v')).toBe('{\n"k": "v"}')
  })

  it('adds a key after a single one in its layout, at the start of the text too', () => {
    expect(setJsonKey('{"a":1}', 'b', 'v')).toBe('{"a":1,"b":"v"}')
    expect(setJsonKey('{ "a" : 1 }', 'b', 'v')).toBe('{ "a" : 1, "b" : "v" }')
  })

  it('sets a key nested objects also use only at the top level', () => {
    expect(setJsonKey('{"db":{"password":"inner"},"password":"outer"}', 'password', 'x')).toBe('{"db":{"password":"inner"},"password":"x"}')
  })

  it.each([
    ['not JSON', 'password=1', 'the current value of the secret is not a JSON object'],
    ['an array', '["a"]', 'the current value of the secret is not a JSON object'],
    ['a string', '"a"', 'the current value of the secret is not a JSON object'],
    ['null', 'null', 'the current value of the secret is not a JSON object'],
    ['a number', '42', 'the current value of the secret is not a JSON object'],
    ['a trailing comma (not strict JSON)', '{"a":1,}', 'the current value of the secret is not a JSON object'],
    ['a comment (not strict JSON)', '{"a":1 /* c */}', 'the current value of the secret is not a JSON object'],
    ['the key twice', '{"password":"a","password":"b"}', 'the current value names key "password" 2 times, so which one counts is unclear']
  ])('refuses a document that is %s', (_, text, message) => {
    let error: unknown
    try {
      setJsonKey(text, 'password', 'x')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(JsonMergeError)
    expect(error).toMatchObject({ name: 'JsonMergeError', message })
  })
})
