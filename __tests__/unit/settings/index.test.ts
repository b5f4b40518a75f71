import { describe, expect, it } from '@jest/globals'
import { problemsOf, putSettingsFrom, settingsFrom } from '../../../__fixtures__/settings.js'
import { defaultSessionName, InputError } from '../../../src/settings/index.js'

const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' }

describe('readSettings', () => {
  it('applies the documented defaults for a rotate', () => {
    const { settings } = settingsFrom(base)
    expect(settings).toMatchObject({
      region: 'eu-west-1',
      mode: 'rotate',
      secretId: 'prod/db',
      secretRegion: 'eu-west-1',
      rotationTimeoutSeconds: 600,
      deploymentTimeoutSeconds: 1800,
      waitForServiceStability: true,
      maxConcurrency: 10,
      apiBudgetPercent: 50,
      services: []
    })
    expect(settings.role).toBeUndefined()
  })

  it('falls back to AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(settingsFrom({ 'secret-id': 'x' }, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' }).settings.region).toBe(
      'us-east-2'
    )
    expect(settingsFrom({ 'secret-id': 'x' }, { AWS_DEFAULT_REGION: 'us-west-1' }).settings.region).toBe('us-west-1')
    expect(problemsOf({ 'secret-id': 'x' }, {})).toEqual([expect.stringContaining('`aws-region`: required')])
  })

  it('builds the role settings with a session name that names the repository, run and attempt', () => {
    const env = { GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '3' }
    const { settings } = settingsFrom({ ...base, 'role-to-assume': 'arn:aws:iam::123456789012:role/deployer' }, env)
    expect(settings.role).toEqual({
      arn: 'arn:aws:iam::123456789012:role/deployer',
      sessionName: 'acme-infra-42-3',
      durationSeconds: 3600,
      audience: 'sts.amazonaws.com'
    })
  })

  it('cuts a long repository name so the session name fits STS (64 characters) and keeps the run id and attempt', () => {
    const run = {
      id: '12345678901',
      attempt: '2',
      repository: `acme-platform-team/${'very-long-repository-name-'.repeat(4)}`,
      serverUrl: ''
    }
    const name = defaultSessionName(run)
    expect(name).toHaveLength(64)
    expect(name).toBe(`acme-platform-team-${'very-long-repository-name-'.repeat(4)}`.slice(0, 50) + '-12345678901-2')
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/)
    // Characters STS refuses become hyphens; outside a runner there is no run to name.
    expect(defaultSessionName({ ...run, repository: 'acme/app é', id: '7', attempt: '1' })).toBe('acme-app---7-1')
    expect(defaultSessionName({ attempt: '1', serverUrl: '' })).toBe('secret-rollout-local')
  })

  it('reads who and what started the run, for the audit trail', () => {
    const env = {
      GITHUB_RUN_ID: '42',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: 'Rotate',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_SHA: 'abc123'
    }
    expect(settingsFrom(base, env).settings.run).toMatchObject({ actor: 'octocat', workflow: 'Rotate', event: 'schedule', sha: 'abc123' })
  })

  it('reads the tracking issue settings: the job token (masked), the repository and the API root', () => {
    const env = { GITHUB_RUN_ID: '42', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }
    const { settings, masked } = settingsFrom({ ...base, 'failure-issue': 'true', 'github-token': 'ghs_job_token_1' }, env)
    expect(settings.trackingIssue).toEqual({
      token: 'ghs_job_token_1',
      repository: 'acme/infra',
      apiUrl: 'https://ghe.example.com/api/v3',
      mention: []
    })
    expect(masked).toContain('ghs_job_token_1')
    expect(settingsFrom({ ...base, 'github-token': 'ghs_job_token_1' }, env).settings.trackingIssue).toBeUndefined()
    expect(
      settingsFrom({ ...base, 'failure-issue': 'true', 'github-token': 't' }, { GITHUB_REPOSITORY: 'a/b' }).settings.trackingIssue?.apiUrl
    ).toBe('https://api.github.com')
  })

  it('refuses failure-issue without a token or outside a repository, naming the input', () => {
    expect(problemsOf({ ...base, 'failure-issue': 'true' }, { GITHUB_REPOSITORY: 'acme/infra' })).toEqual([
      expect.stringMatching(/^`github-token`: required with failure-issue: true/)
    ])
    expect(problemsOf({ ...base, 'failure-issue': 'true', 'github-token': 't' }, {})).toEqual([
      expect.stringMatching(/^`failure-issue`: needs GITHUB_REPOSITORY/)
    ])
    expect(problemsOf({ ...base, 'failure-issue': 'yes' })).toEqual([
      expect.stringContaining('`failure-issue`: "yes" is not true or false')
    ])
  })

  it('takes the region of a secret ARN over aws-region', () => {
    const { settings } = settingsFrom({ ...base, 'secret-id': 'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-AbCdEf' })
    expect(settings.secretRegion).toBe('us-west-2')
  })

  it('masks a given value as soon as it is read', () => {
    const { settings, masked } = putSettingsFrom({ ...base, mode: 'put', 'secret-string': 's3cr3t-value' })
    expect(settings.value).toEqual({ kind: 'given', value: 's3cr3t-value', from: 'secret-string' })
    expect(masked).toContain('s3cr3t-value')
  })

  it('reads and masks the content of secret-file exactly', () => {
    const { settings, masked } = putSettingsFrom({ ...base, mode: 'put', 'secret-file': '/tmp/v' }, undefined, {
      '/tmp/v': 'line1\nline2\n'
    })
    expect(settings.value).toMatchObject({ kind: 'given', value: 'line1\nline2\n' })
    expect(masked).toContain('line1\nline2\n')
  })

  it('parses password generation options', () => {
    const { settings } = putSettingsFrom({
      ...base,
      mode: 'put',
      'generate-password': 'true',
      'password-length': '48',
      'exclude-characters': '"\'\\',
      'exclude-punctuation': 'false'
    })
    expect(settings.value).toEqual({ kind: 'generate', length: 48, excludeCharacters: '"\'\\', excludePunctuation: false })
  })

  it.each([
    [{ mode: 'restart' }, '`mode`: "restart" is not one of rotate, put, redeploy'],
    [{ 'aws-region': 'Europe' }, '`aws-region`: "Europe" is not a region name'],
    [{ 'secret-id': '' }, '`secret-id`: required with mode rotate'],
    [{ 'secret-id': 'has space' }, '`secret-id`: a secret name is'],
    [{ 'secret-id': 'arn:aws:s3:::bucket' }, '`secret-id`: not a valid Secrets Manager ARN'],
    [{ 'role-to-assume': 'deployer' }, '`role-to-assume`: not an IAM role ARN'],
    [{ 'role-to-assume': 'arn:aws:iam::12345:role/x' }, '`role-to-assume`: not an IAM role ARN'],
    [{ 'role-session-name': 'a' }, '`role-session-name`: "a" must be 2-64 characters'],
    [{ 'role-session-name': 'has space' }, '`role-session-name`'],
    [{ 'role-duration-seconds': '60' }, '`role-duration-seconds`: "60" is not a whole number from 900 to 43200'],
    [{ 'role-duration-seconds': '1h' }, '`role-duration-seconds`'],
    [{ 'rotation-timeout': '10 minutes' }, '`rotation-timeout`: "10 minutes" is not a duration'],
    [{ 'rotation-timeout': '0' }, '`rotation-timeout`'],
    [{ 'deployment-timeout': '-5m' }, '`deployment-timeout`'],
    [{ 'deployment-timeout': '25h' }, '`deployment-timeout`'],
    [{ 'max-concurrency': '0' }, '`max-concurrency`: "0" is not a whole number from 1 to 100'],
    [{ 'max-concurrency': 'ten' }, '`max-concurrency`'],
    [{ 'api-budget': '5' }, '`api-budget`: "5" is not a whole number from 10 to 100'],
    [{ 'api-budget': '50%' }, '`api-budget`: "50%" is not a whole number from 10 to 100'],
    [{ 'wait-for-service-stability': 'yes' }, '`wait-for-service-stability`: "yes" is not true or false'],
    [{ 'secret-string': 'x' }, '`secret-string`: only applies to mode put'],
    [{ 'generate-password': 'true' }, '`generate-password`: only applies to mode put'],
    [{ 'json-key': 'password' }, '`json-key`: only applies to mode put'],
    [{ mode: 'put' }, '`secret-string`: mode put needs exactly one of'],
    [{ mode: 'put', 'secret-string': 'x', 'generate-password': 'true' }, 'secret-string and generate-password are all set'],
    [{ mode: 'put', 'secret-file': '/missing' }, '`secret-file`: cannot read "/missing": ENOENT'],
    [{ mode: 'put', 'secret-string': 'x', 'password-length': '20' }, '`password-length`: only applies with generate-password: true'],
    [
      { mode: 'put', 'generate-password': 'true', 'password-length': '5000' },
      '`password-length`: "5000" is not a whole number from 1 to 4096'
    ],
    [
      { mode: 'put', 'secret-string': 'x', 'rotation-lambda-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:rot' },
      '`rotation-lambda-arn`: only applies to mode rotate'
    ],
    [{ 'rotation-lambda-arn': 'arn:aws:lambda:eu-west-1:123456789012:layer:x' }, '`rotation-lambda-arn`: not a Lambda function ARN'],
    [{ mode: 'redeploy', 'secret-id': '' }, '`services`: required with mode redeploy'],
    [{ services: 'prod' }, '`services`: line 1 "prod": expected cluster/service'],
    [
      { 'rollback-on-failure': 'true', services: 'prod/api' },
      '`rollback-on-failure`: only applies to mode put: after a rotation the previous password may no longer be valid'
    ],
    [
      { mode: 'put', 'secret-string': 'x', 'rollback-on-failure': 'true' },
      '`rollback-on-failure`: needs `services`'.replace(/`services`/, 'services')
    ],
    [
      { mode: 'put', 'secret-string': 'x', services: 'p/a', 'rollback-on-failure': 'true', 'wait-for-service-stability': 'false' },
      '`rollback-on-failure`: needs wait-for-service-stability: true'
    ]
  ])('refuses %j naming the input', (inputs, expected) => {
    expect(problemsOf({ ...base, ...inputs }).join('\n')).toContain(expected)
  })

  it('reports every problem at once', () => {
    const problems = problemsOf({ 'aws-region': 'x', mode: 'put', 'max-concurrency': '0' })
    expect(problems).toHaveLength(4)
  })

  it('refuses an empty secret-file', () => {
    expect(problemsOf({ ...base, mode: 'put', 'secret-file': '/e' }, undefined, { '/e': '' })).toEqual(['`secret-file`: "/e" is empty'])
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
