import { describe, expect, it } from '@jest/globals'
import { problemsOf, putSettingsFrom, settingsFrom } from '../../../__fixtures__/settings.js'
import { readBoolean, readDuration, readEnum, readInteger, readList, type Reader } from '../../../src/settings/readers.js'

/** A reader over a map of inputs that keeps each problem as the runner's error would name it. */
function reader(inputs: Record<string, string>): Reader & { problems: string[] } {
  const problems: string[] = []
  return { problems, input: (name) => inputs[name] ?? '', bad: (name, message) => void problems.push(`\`${name}\`: ${message}`) }
}

describe('the readers', () => {
  it('reads a boolean, its default when unset, and names the input otherwise', () => {
    const r = reader({ a: 'True', b: 'FALSE', c: 'yes' })
    expect([readBoolean(r, 'a', false), readBoolean(r, 'b', true), readBoolean(r, 'unset', true), readBoolean(r, 'c', true)]).toEqual([
      true,
      false,
      true,
      true
    ])
    expect(r.problems).toEqual(['`c`: "yes" is not true or false'])
  })

  it('reads a whole number within its bounds, else the default and a problem', () => {
    const r = reader({ low: '1', high: '9', over: '10', half: '2.5' })
    expect([readInteger(r, 'low', 5, 1, 9), readInteger(r, 'high', 5, 1, 9), readInteger(r, 'unset', 5, 1, 9)]).toEqual([1, 9, 5])
    expect([readInteger(r, 'over', 5, 1, 9), readInteger(r, 'half', 5, 1, 9)]).toEqual([5, 5])
    expect(r.problems).toEqual(['`over`: "10" is not a whole number from 1 to 9', '`half`: "2.5" is not a whole number from 1 to 9'])
  })

  it('reads a duration of 1s to 24h, the default text when unset', () => {
    const r = reader({ a: '90s', b: '25h' })
    expect([readDuration(r, 'a', '10m'), readDuration(r, 'unset', '10m'), readDuration(r, 'b', '10m')]).toEqual([90, 600, 0])
    expect(r.problems).toEqual(['`b`: "25h" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds'])
  })

  it('reads one of a list of values, the first when unset, and says the choices as a sentence', () => {
    const r = reader({ two: 'maybe', three: 'swap', ok: 'wait' })
    expect(readEnum(r, 'unset', ['fail', 'wait'])).toBe('fail')
    expect(readEnum(r, 'ok', ['fail', 'wait'])).toBe('wait')
    expect(readEnum(r, 'two', ['fail', 'wait'])).toBeUndefined()
    expect(readEnum(r, 'three', ['rotate', 'put', 'redeploy'])).toBeUndefined()
    expect(r.problems).toEqual(['`two`: "maybe" is not fail or wait', '`three`: "swap" is not one of rotate, put, redeploy'])
  })

  it('reads a list separated by spaces, commas or new lines', () => {
    expect(readList(reader({ a: '@a, @b\n@c  @d,,' }), 'a')).toEqual(['@a', '@b', '@c', '@d'])
    expect(readList(reader({}), 'a')).toEqual([])
  })
})

// The edges of every bounded input: each side of each bound.
const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' }

describe('boundary values', () => {
  it.each<[string, string, string, unknown]>([
    ['role-duration-seconds', '900', 'role.durationSeconds', 900],
    ['role-duration-seconds', '43200', 'role.durationSeconds', 43200],
    ['max-concurrency', '1', 'maxConcurrency', 1],
    ['max-concurrency', '100', 'maxConcurrency', 100],
    ['rotation-timeout', '1', 'rotationTimeoutSeconds', 1],
    ['rotation-timeout', '1s', 'rotationTimeoutSeconds', 1],
    ['rotation-timeout', '24h', 'rotationTimeoutSeconds', 86400],
    ['deployment-timeout', '86400', 'deploymentTimeoutSeconds', 86400],
    ['deployment-timeout', '1440m', 'deploymentTimeoutSeconds', 86400],
    ['role-session-name', 'ab', 'role.sessionName', 'ab'],
    ['role-session-name', 'a'.repeat(64), 'role.sessionName', 'a'.repeat(64)],
    ['role-session-name', 'x+=,.@_-y', 'role.sessionName', 'x+=,.@_-y'],
    ['secret-id', 's'.repeat(512), 'secretId', 's'.repeat(512)],
    ['secret-id', 'a/b_c+d=e.f@g-h', 'secretId', 'a/b_c+d=e.f@g-h'],
    ['audience', 'my-audience', 'role.audience', 'my-audience'],
    ['role-to-assume', 'arn:aws-us-gov:iam::123456789012:role/path/r', 'role.arn', 'arn:aws-us-gov:iam::123456789012:role/path/r']
  ])('accepts %s: %s', (name, value, path, expected) => {
    const { settings } = settingsFrom({ ...base, 'role-to-assume': 'arn:aws:iam::123456789012:role/r', [name]: value })
    const actual = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], settings)
    expect(actual).toEqual(expected)
  })

  it.each<[string, string, string]>([
    ['role-duration-seconds', '899', '"899" is not a whole number from 900 to 43200'],
    ['role-duration-seconds', '43201', '"43201" is not a whole number from 900 to 43200'],
    ['role-duration-seconds', '1000.5', '"1000.5" is not a whole number from 900 to 43200'],
    ['max-concurrency', '101', '"101" is not a whole number from 1 to 100'],
    ['max-concurrency', '-1', '"-1" is not a whole number from 1 to 100'],
    ['rotation-timeout', '0s', '"0s" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds'],
    ['rotation-timeout', '86401', '"86401" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds'],
    ['deployment-timeout', '1441m', '"1441m" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds'],
    ['role-session-name', 'a'.repeat(65), `"${'a'.repeat(65)}" must be 2-64 characters of letters, digits and +=,.@_-`],
    ['secret-id', 's'.repeat(513), 'a secret name is 1-512 ASCII letters, digits and /_+=.@- (no spaces, backticks, | or line breaks)'],
    ['role-to-assume', 'arn:aws:iam::1234567890123:role/r', 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ['role-to-assume', 'arn:aws:sts::123456789012:role/r', 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ['role-to-assume', 'xarn:aws:iam::123456789012:role/r', 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ['role-to-assume', 'arn:aws:iam::123456789012:role/r x', 'not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ['dry-run', 'yes', '"yes" is not true or false'],
    ['dry-run', 'tRUE', '"tRUE" is not true or false']
  ])('refuses %s: %s', (name, value, message) => {
    expect(problemsOf({ ...base, 'role-to-assume': 'arn:aws:iam::123456789012:role/r', [name]: value })).toEqual([
      `\`${name}\`: ${message}`
    ])
  })

  it.each([
    ['1', 1],
    ['4096', 4096]
  ])('accepts password-length %s', (text, length) => {
    expect(putSettingsFrom({ ...base, mode: 'put', 'generate-password': 'true', 'password-length': text }).settings.value).toEqual({
      kind: 'generate',
      length,
      excludeCharacters: undefined,
      excludePunctuation: false
    })
  })

  it.each(['0', '4097'])('refuses password-length %s', (text) => {
    expect(problemsOf({ ...base, mode: 'put', 'generate-password': 'true', 'password-length': text })).toEqual([
      `\`password-length\`: "${text}" is not a whole number from 1 to 4096`
    ])
  })

  it('defaults password-length to 32', () => {
    expect(putSettingsFrom({ ...base, mode: 'put', 'generate-password': 'true' }).settings.value).toMatchObject({ length: 32 })
  })

  it.each([
    ['arn:aws:lambda:eu-west-1:123456789012:function:rot', []],
    ['arn:aws:lambda:eu-west-1:123456789012:function:rot:$LATEST', []],
    [`arn:aws:lambda:eu-west-1:123456789012:function:${'f'.repeat(64)}`, []],
    [`arn:aws:lambda:eu-west-1:123456789012:function:${'f'.repeat(65)}`, ['bad']],
    ['arn:aws:lambda:Europe:123456789012:function:rot', ['bad']],
    ['arn:aws:states:eu-west-1:123456789012:function:rot', ['bad']],
    ['arn:aws:lambda:eu-west-1:123456789012:function:', ['bad']],
    ['function:rot', ['bad']]
  ])('rotation-lambda-arn %s', (arn, expected) => {
    const problems = problemsOf({ ...base, 'rotation-lambda-arn': arn })
    expect(problems).toEqual(
      expected.map(() => '`rotation-lambda-arn`: not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)')
    )
  })

  it.each([
    ['arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-AbCdEf', 'us-west-2'],
    ['arn:aws:secretsmanager:eu-west:123456789012:secret:prod/db-AbCdEf', undefined],
    ['arn:aws:secretsmanager:us-west-2:123456789012:parameter:prod/db', undefined],
    ['arn:aws:secretsmanager', undefined]
  ])('secret-id ARN %s', (arn, region) => {
    if (region) expect(settingsFrom({ ...base, 'secret-id': arn }).settings.secretRegion).toBe(region)
    else
      expect(problemsOf({ ...base, 'secret-id': arn })).toEqual([
        '`secret-id`: not a valid Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)'
      ])
  })

  it.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])('reads the YAML boolean %s', (text) => {
    expect(settingsFrom({ ...base, 'dry-run': text }).settings.dryRun).toBe(text.toLowerCase() === 'true')
  })

  it.each([
    ['', 'required: set it, or AWS_REGION / AWS_DEFAULT_REGION in the environment'],
    ['us-east', '"us-east" is not a region name like us-east-1'],
    ['US-EAST-1', '"US-EAST-1" is not a region name like us-east-1'],
    ['us-east-1x', '"us-east-1x" is not a region name like us-east-1']
  ])('refuses aws-region %j', (region, message) => {
    expect(problemsOf({ 'secret-id': 'x', 'aws-region': region })).toEqual([`\`aws-region\`: ${message}`])
  })

  it.each(['us-gov-west-1', 'ap-southeast-4', 'eu-central-2'])('accepts aws-region %s', (region) => {
    expect(settingsFrom({ 'secret-id': 'x', 'aws-region': region }).settings.region).toBe(region)
  })

  it('trims inputs as the runner passes them', () => {
    expect(
      settingsFrom({ 'aws-region': ' eu-west-1 ', 'secret-id': ' prod/db\n', mode: ' put ', 'secret-string': 'v' }).settings
    ).toMatchObject({
      region: 'eu-west-1',
      secretId: 'prod/db',
      mode: 'put'
    })
  })
})
