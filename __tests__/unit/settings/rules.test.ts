import { describe, expect, it } from '@jest/globals'
import { problemsOf, settingsFrom } from '../../../__fixtures__/settings.js'
import { brokenRules, RULES, type Given, type Rule } from '../../../src/settings/rules.js'

// The rules between inputs (src/settings/rules.ts), through readSettings.
const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' }
const put = { ...base, mode: 'put', 'secret-string': 'x' }
const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate'

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
      verifyRollout: true
    })
    // A rotate has no field of a put: the type per mode says so, and so does the object.
    for (const putOnly of ['value', 'jsonKey', 'rollbackOnFailure']) expect(settings).not.toHaveProperty(putOnly)
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

describe('the rules table', () => {
  // One input set per row of RULES, breaking that rule and no other: [row, inputs, env, the one problem].
  const ROWS: [number, Record<string, string>, NodeJS.ProcessEnv | undefined, string][] = [
    [0, { 'aws-region': 'eu-west-1', mode: 'put', 'secret-string': 'x' }, undefined, '`secret-id`: required with mode put'],
    [1, { ...put, 'exclude-characters': '"' }, undefined, '`exclude-characters`: only applies with generate-password: true'],
    [2, { ...base, 'secret-string': 'x' }, undefined, '`secret-string`: only applies to mode put (mode is rotate)'],
    [3, { ...base, 'secret-file': '/f' }, undefined, '`secret-file`: only applies to mode put (mode is rotate)'],
    [4, { ...base, 'generate-password': 'true' }, undefined, '`generate-password`: only applies to mode put (mode is rotate)'],
    [
      5,
      { ...base, mode: 'put' },
      undefined,
      '`secret-string`: mode put needs exactly one of secret-string, secret-file or generate-password: true; none is set'
    ],
    [6, { ...base, 'json-key': 'k' }, undefined, '`json-key`: only applies to mode put'],
    [7, { ...put, 'rotation-lambda-arn': LAMBDA }, undefined, '`rotation-lambda-arn`: only applies to mode rotate'],
    [
      8,
      { ...base, services: 'p/a', 'rollback-on-failure': 'true' },
      undefined,
      '`rollback-on-failure`: only applies to mode put: after a rotation the previous password may no longer be valid, so moving back to it is not safe'
    ],
    [
      9,
      { mode: 'redeploy', 'aws-region': 'eu-west-1', services: 'p/a', 'rollback-on-failure': 'true' },
      undefined,
      '`rollback-on-failure`: only applies to mode put: mode redeploy changes no secret'
    ],
    [
      10,
      { ...put, services: 'p/a', 'rollback-on-failure': 'true', 'wait-for-service-stability': 'false' },
      undefined,
      '`rollback-on-failure`: needs wait-for-service-stability: true, or no failure can be seen'
    ],
    [
      11,
      { ...base, 'discover-services': 'true' },
      undefined,
      '`clusters`: required with discover-services: true: list the clusters to search, one a line'
    ],
    [12, { ...base, clusters: 'prod' }, undefined, '`clusters`: only applies with discover-services: true'],
    [
      13,
      { mode: 'redeploy', 'aws-region': 'eu-west-1', 'discover-services': 'true', clusters: 'prod' },
      undefined,
      '`discover-services`: needs secret-id: discovery looks for services that read it'
    ],
    [
      14,
      { ...put, 'rollback-on-failure': 'true' },
      undefined,
      '`rollback-on-failure`: needs services: only a failed deployment triggers it'
    ],
    [
      15,
      { mode: 'redeploy', 'aws-region': 'eu-west-1' },
      undefined,
      '`services`: required with mode redeploy: list at least one cluster/service, or use discover-services'
    ],
    [
      16,
      { ...base, 'verify-rollout': 'true', 'wait-for-service-stability': 'false' },
      undefined,
      '`verify-rollout`: needs wait-for-service-stability: true (tasks are checked once their deployment has rolled out)'
    ],
    [
      17,
      { ...base, 'wait-until': 'traffic-shifted', 'wait-for-service-stability': 'false' },
      undefined,
      '`wait-until`: needs wait-for-service-stability: true: it says how long to wait'
    ],
    [18, { ...put, 'if-rotation-in-progress': 'wait' }, undefined, '`if-rotation-in-progress`: wait only applies to mode rotate'],
    [19, { ...put, 'if-rotation-disabled': 'enable' }, undefined, '`if-rotation-disabled`: enable only applies to mode rotate'],
    [20, { ...base, 'failure-issue-mention': '@octocat' }, undefined, '`failure-issue-mention`: only applies with failure-issue: true'],
    [
      21,
      { ...base, 'failure-issue': 'true' },
      { GITHUB_REPOSITORY: 'acme/infra' },
      "`github-token`: required with failure-issue: true: leave it unset to use the job's token (`${{ github.token }}`)"
    ]
  ]

  it('has one case for each row, so a new row needs its case', () => {
    expect(ROWS.map(([row]) => row)).toEqual(RULES.map((_, row) => row))
  })

  it.each(ROWS)('row %i fires alone, with its exact message', (row, inputs, env, problem) => {
    expect(problemsOf(inputs, env)).toEqual([problem])
    // The message is the row's own: its input, and its text when the text is fixed.
    const rule = RULES[row]
    if (typeof rule.input === 'string') expect(problem.startsWith(`\`${rule.input}\`: `)).toBe(true)
    if (typeof rule.problem === 'string') expect(problem).toBe(`\`${problem.split('`')[1]}\`: ${rule.problem}`)
  })

  it('evaluates the rows in the table order and names the input of each that fires', () => {
    const always = (input: string, problem: string): Rule => ({ input, when: () => true, problem })
    const never: Rule = { input: 'x', when: () => false, problem: 'never' }
    const given = {} as Given
    expect(brokenRules(given, [always('b', 'second'), never, { input: () => 'a', when: () => true, problem: () => 'first' }])).toEqual([
      { input: 'b', message: 'second' },
      { input: 'a', message: 'first' }
    ])
  })
})
