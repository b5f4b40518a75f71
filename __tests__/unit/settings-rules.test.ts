import { describe, expect, it } from '@jest/globals'
import { settingsFrom } from '../../__fixtures__/settings.js'
import { InputError } from '../../src/settings.js'

// The rules between inputs, and the edges of every bounded input: each side of each bound.
const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' }
const put = { ...base, mode: 'put', 'secret-string': 'x' }
const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate'

function problemsOf(inputs: Record<string, string>, files?: Record<string, string>): string[] {
  try {
    settingsFrom(inputs, undefined, files)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  return []
}

describe('cross-input rules', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'password-length without generate-password',
      { ...put, 'password-length': '20' },
      ['`password-length`: only applies with generate-password: true']
    ],
    [
      'exclude-characters without generate-password',
      { ...put, 'exclude-characters': '"' },
      ['`exclude-characters`: only applies with generate-password: true']
    ],
    [
      'exclude-punctuation without generate-password',
      { ...put, 'exclude-punctuation': 'true' },
      ['`exclude-punctuation`: only applies with generate-password: true']
    ],
    [
      'every value source with mode redeploy',
      {
        mode: 'redeploy',
        'aws-region': 'eu-west-1',
        services: 'p/a',
        'secret-string': 'x',
        'secret-file': '/f',
        'generate-password': 'true'
      },
      [
        '`secret-string`: only applies to mode put (mode is redeploy)',
        '`secret-file`: only applies to mode put (mode is redeploy)',
        '`generate-password`: only applies to mode put (mode is redeploy)'
      ]
    ],
    [
      'a value source with an unknown mode',
      { ...base, mode: 'swap', 'secret-string': 'x' },
      ['`mode`: "swap" is not one of rotate, put, redeploy', '`secret-string`: only applies to mode put (mode is invalid)']
    ],
    [
      'put without a value',
      { ...base, mode: 'put' },
      ['`secret-string`: mode put needs exactly one of secret-string, secret-file or generate-password: true; none is set']
    ],
    [
      'put with all three values',
      { ...put, 'secret-file': '/f', 'generate-password': 'true' },
      [
        '`secret-string`: mode put needs exactly one of secret-string, secret-file or generate-password: true; secret-string and secret-file and generate-password are all set'
      ]
    ],
    [
      'put with a file and generate-password',
      { ...base, mode: 'put', 'secret-file': '/f', 'generate-password': 'true' },
      [
        '`secret-file`: mode put needs exactly one of secret-string, secret-file or generate-password: true; secret-file and generate-password are all set'
      ]
    ],
    [
      'json-key with mode redeploy',
      { mode: 'redeploy', 'aws-region': 'eu-west-1', services: 'p/a', 'json-key': 'k' },
      ['`json-key`: only applies to mode put']
    ],
    [
      'rotation-lambda-arn with mode put',
      { ...put, 'rotation-lambda-arn': LAMBDA },
      ['`rotation-lambda-arn`: only applies to mode rotate']
    ],
    [
      'rollback-on-failure with mode rotate',
      { ...base, services: 'p/a', 'rollback-on-failure': 'true' },
      [
        '`rollback-on-failure`: only applies to mode put: after a rotation the previous password may no longer be valid, so moving back to it is not safe'
      ]
    ],
    [
      'rollback-on-failure with mode redeploy',
      { mode: 'redeploy', 'aws-region': 'eu-west-1', services: 'p/a', 'rollback-on-failure': 'true' },
      ['`rollback-on-failure`: only applies to mode put: mode redeploy changes no secret']
    ],
    [
      'rollback-on-failure without waiting',
      { ...put, services: 'p/a', 'rollback-on-failure': 'true', 'wait-for-service-stability': 'false' },
      ['`rollback-on-failure`: needs wait-for-service-stability: true, or no failure can be seen']
    ],
    [
      'rollback-on-failure without services',
      { ...put, 'rollback-on-failure': 'true' },
      ['`rollback-on-failure`: needs services: only a failed deployment triggers it']
    ],
    [
      'discover-services without clusters',
      { ...base, 'discover-services': 'true' },
      ['`clusters`: required with discover-services: true: list the clusters to search, one a line']
    ],
    ['clusters without discover-services', { ...base, clusters: 'prod' }, ['`clusters`: only applies with discover-services: true']],
    [
      'discover-services without secret-id',
      { mode: 'redeploy', 'aws-region': 'eu-west-1', 'discover-services': 'true', clusters: 'prod' },
      ['`discover-services`: needs secret-id: discovery looks for services that read it']
    ],
    [
      'redeploy with nothing to redeploy',
      { mode: 'redeploy', 'aws-region': 'eu-west-1' },
      ['`services`: required with mode redeploy: list at least one cluster/service, or use discover-services']
    ],
    [
      'redeploy with only a bad service line',
      { mode: 'redeploy', 'aws-region': 'eu-west-1', services: 'nope' },
      ['`services`: line 1 "nope": expected cluster/service or a service ARN']
    ],
    [
      'verify-rollout without waiting',
      { ...base, 'verify-rollout': 'true', 'wait-for-service-stability': 'false' },
      ['`verify-rollout`: needs wait-for-service-stability: true (tasks are checked once their deployment has rolled out)']
    ],
    [
      'if-rotation-in-progress not fail or wait',
      { ...base, 'if-rotation-in-progress': 'skip' },
      ['`if-rotation-in-progress`: "skip" is not fail or wait']
    ],
    [
      'if-rotation-in-progress: wait with mode put',
      { ...put, 'if-rotation-in-progress': 'wait' },
      ['`if-rotation-in-progress`: wait only applies to mode rotate']
    ],
    [
      'wait-until not completed or traffic-shifted',
      { ...base, 'wait-until': 'stable' },
      ['`wait-until`: "stable" is not completed or traffic-shifted']
    ],
    [
      'wait-until: traffic-shifted without waiting',
      { ...base, 'wait-until': 'traffic-shifted', 'wait-for-service-stability': 'false' },
      ['`wait-until`: needs wait-for-service-stability: true: it says how long to wait']
    ],
    [
      'if-rotation-disabled not fail or enable',
      { ...base, 'if-rotation-disabled': 'skip' },
      ['`if-rotation-disabled`: "skip" is not fail or enable']
    ],
    [
      'if-rotation-disabled: enable with mode put',
      { ...put, 'if-rotation-disabled': 'enable' },
      ['`if-rotation-disabled`: enable only applies to mode rotate']
    ],
    [
      'bad clusters line',
      { ...base, 'discover-services': 'true', clusters: 'prod/x' },
      ['`clusters`: line 1 "prod/x": not a cluster name (letters, digits, - and _)']
    ]
  ])('refuses %s', (_, inputs, expected) => {
    expect(problemsOf(inputs)).toEqual(expected)
  })

  it.each<[string, Record<string, string>]>([
    ['rollback-on-failure with put, services and waiting', { ...put, services: 'p/a', 'rollback-on-failure': 'true' }],
    [
      'rollback-on-failure with put and discovery instead of services',
      { ...put, 'rollback-on-failure': 'true', 'discover-services': 'true', clusters: 'prod' }
    ],
    ['redeploy with discovery instead of services', { ...base, mode: 'redeploy', 'discover-services': 'true', clusters: 'prod' }],
    ['verify-rollout: false without waiting', { ...base, 'verify-rollout': 'false', 'wait-for-service-stability': 'false' }],
    ['if-rotation-in-progress: wait with rotate', { ...base, 'if-rotation-in-progress': 'wait' }],
    ['if-rotation-in-progress: fail with put', { ...put, 'if-rotation-in-progress': 'fail' }],
    ['wait-until: traffic-shifted while waiting', { ...base, 'wait-until': 'traffic-shifted' }],
    ['wait-until: completed without waiting', { ...base, 'wait-until': 'completed', 'wait-for-service-stability': 'false' }],
    ['if-rotation-disabled: enable with rotate', { ...base, 'if-rotation-disabled': 'enable' }],
    ['if-rotation-disabled: fail with put', { ...put, 'if-rotation-disabled': 'fail' }],
    ['rotation-lambda-arn with an alias', { ...base, 'rotation-lambda-arn': `${LAMBDA}:live` }],
    ['exclude-punctuation: false without generate-password', { ...put, 'exclude-punctuation': 'false' }]
  ])('accepts %s', (_, inputs) => {
    expect(problemsOf(inputs)).toEqual([])
  })

  it('defaults verify-rollout to wait-for-service-stability', () => {
    expect(settingsFrom(base).settings.verifyRollout).toBe(true)
    expect(settingsFrom({ ...base, 'wait-for-service-stability': 'false' }).settings.verifyRollout).toBe(false)
    expect(settingsFrom({ ...base, 'verify-rollout': 'false' }).settings.verifyRollout).toBe(false)
  })

  it('searches the clusters only with discover-services: true', () => {
    const { settings } = settingsFrom({
      ...base,
      'discover-services': 'true',
      clusters: 'prod\narn:aws:ecs:us-east-1:123456789012:cluster/batch'
    })
    expect(settings.discoverIn.map((c) => [c.cluster, c.region])).toEqual([
      ['prod', 'eu-west-1'],
      ['arn:aws:ecs:us-east-1:123456789012:cluster/batch', 'us-east-1']
    ])
    expect(settingsFrom(base).settings.discoverIn).toEqual([])
  })

  it('reads every remaining input into the settings', () => {
    const { settings } = settingsFrom({
      ...base,
      'rotation-lambda-arn': LAMBDA,
      'if-rotation-in-progress': 'wait',
      'dry-run': 'TRUE',
      'max-concurrency': '7',
      'deployment-timeout': '90s',
      'rotation-timeout': '2m',
      'wait-for-service-stability': 'True',
      services: ' prod/api '
    })
    expect(settings).toMatchObject({
      rotationLambdaArn: LAMBDA,
      ifRotationInProgress: 'wait',
      dryRun: true,
      maxConcurrency: 7,
      deploymentTimeoutSeconds: 90,
      rotationTimeoutSeconds: 120,
      waitForServiceStability: true,
      rollbackOnFailure: false,
      verifyRollout: true,
      jsonKey: undefined,
      value: undefined
    })
    expect(settings.services.map((s) => s.label)).toEqual(['prod/api'])
    expect(settingsFrom(base).settings).toMatchObject({ dryRun: false, ifRotationInProgress: 'fail', rotationLambdaArn: undefined })
  })

  it('takes the run context from the runner, with defaults outside one', () => {
    expect(
      settingsFrom(base, {
        GITHUB_RUN_ID: '7',
        GITHUB_RUN_ATTEMPT: '3',
        GITHUB_REPOSITORY: 'a/b',
        GITHUB_SERVER_URL: 'https://ghe.example'
      }).settings.run
    ).toEqual({
      id: '7',
      attempt: '3',
      repository: 'a/b',
      serverUrl: 'https://ghe.example'
    })
    expect(settingsFrom(base, {}).settings.run).toEqual({
      id: undefined,
      attempt: '1',
      repository: undefined,
      serverUrl: 'https://github.com'
    })
    expect(settingsFrom({ ...base, 'role-to-assume': 'arn:aws:iam::123456789012:role/r' }, {}).settings.role?.sessionName).toBe(
      'secret-rollout-local'
    )
  })
})

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
    expect(settingsFrom({ ...base, mode: 'put', 'generate-password': 'true', 'password-length': text }).settings.value).toEqual({
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
    expect(settingsFrom({ ...base, mode: 'put', 'generate-password': 'true' }).settings.value).toMatchObject({ length: 32 })
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

describe('the input error', () => {
  it('says one problem on one line, and lists several one a line', () => {
    const one = new InputError(['`mode`: "swap" is not one of rotate, put, redeploy'])
    expect(one.message).toBe('Invalid input: `mode`: "swap" is not one of rotate, put, redeploy')
    expect(one.name).toBe('InputError')
    const two = new InputError(['`a`: first', '`b`: second'])
    expect(two.message).toBe('Invalid inputs:\n  - `a`: first\n  - `b`: second')
  })
})
