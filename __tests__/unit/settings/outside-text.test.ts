import { describe, expect, it } from '@jest/globals'
import { putSettingsFrom, settingsFrom } from '../../../__fixtures__/settings.js'
import { partitionOf } from '../../../src/aws/place.js'

const base = { 'aws-region': 'eu-west-1', mode: 'rotate' }
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:'

describe('inputs that would carry markup or commands into the report', () => {
  it.each([
    ['a backtick', `${ARN}prod/db\`x-AbCdEf`],
    ['a pipe', `${ARN}prod|db-AbCdEf`],
    ['a comment end', `${ARN}prod-->db-AbCdEf`],
    ['a line break', `${ARN}prod\n::error::x-AbCdEf`],
    ['a space', `${ARN}prod db-AbCdEf`]
  ])('refuses a secret-id ARN whose name holds %s, naming the input', (_what, secretId) => {
    expect(() => settingsFrom({ ...base, 'secret-id': secretId })).toThrow(
      'Invalid input: `secret-id`: the name in the ARN is not a secret name: a secret name is 1-512 ASCII letters, digits and /_+=.@- (no spaces, backticks, | or line breaks)'
    )
  })

  it('refuses a secret-file that is not UTF-8 text, or holds NUL bytes, naming the input', () => {
    const read = (bytes: Uint8Array) =>
      putSettingsFrom({ ...base, mode: 'put', 'secret-id': 'prod/db', 'secret-file': '/tmp/v' }, undefined, {
        '/tmp/v': bytes as unknown as string
      })
    expect(() => read(Uint8Array.from([0x70, 0xff, 0xfe, 0x0a]))).toThrow(
      'Invalid input: `secret-file`: "/tmp/v" is not UTF-8 text (a binary file?): SecretString holds text; base64-encode binary data first'
    )
    expect(() => read(Uint8Array.from([0x70, 0x00, 0x71]))).toThrow('`secret-file`: "/tmp/v" holds NUL bytes')
    expect(read(new TextEncoder().encode('pässwörd\n')).settings.value).toEqual({ kind: 'given', value: 'pässwörd\n', from: 'secret-file' })
  })
})

describe('every partition the SDK knows', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc']
  ])('accepts %s (%s) as aws-region and in secret-id and services ARNs', (region, partition) => {
    expect(partitionOf(region)).toBe(partition)
    const { settings } = settingsFrom({
      'aws-region': region,
      mode: 'rotate',
      'secret-id': `arn:${partition}:secretsmanager:${region}:123456789012:secret:prod/db-AbCdEf`,
      services: `arn:${partition}:ecs:${region}:123456789012:service/prod/api`
    })
    expect([settings.region, settings.secretRegion, settings.services[0].region]).toEqual([region, region, region])
  })

  it('refuses an ARN whose partition does not hold its region, naming the input', () => {
    expect(() =>
      settingsFrom({ ...base, 'secret-id': 'arn:aws:secretsmanager:eusc-de-east-1:123456789012:secret:prod/db-AbCdEf' })
    ).toThrow('Invalid input: `secret-id`: region eusc-de-east-1 is in partition aws-eusc, but the ARN says aws')
  })
})
