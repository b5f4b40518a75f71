import { describe, expect, it } from '@jest/globals'
import { matchSecretReference } from '../../../src/ecs/secret-references.js'

const SECRET = { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', name: 'prod/db' }

describe('matchSecretReference', () => {
  const env = { field: 'secrets', region: 'eu-west-1' } as const
  it.each([
    ['full ARN', SECRET.arn, { pinned: false }],
    ['ARN without the random suffix', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db', { pinned: false }],
    ['ARN with a JSON key', `${SECRET.arn}:password::`, { jsonKey: 'password', pinned: false }],
    [
      'ARN with a JSON key and AWSCURRENT',
      `${SECRET.arn}:password:AWSCURRENT:`,
      { jsonKey: 'password', versionStage: 'AWSCURRENT', pinned: false }
    ],
    ['ARN pinned to AWSPREVIOUS', `${SECRET.arn}::AWSPREVIOUS:`, { versionStage: 'AWSPREVIOUS', pinned: true }],
    [
      'ARN pinned to a version id',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db:password::0f2a-v1',
      { jsonKey: 'password', versionId: '0f2a-v1', pinned: true }
    ],
    ['SSM reference by parameter name', '/aws/reference/secretsmanager/prod/db', { pinned: false }],
    [
      'SSM reference by parameter ARN',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/prod/db',
      { pinned: false }
    ],
    ['SSM reference to the secret ARN', `/aws/reference/secretsmanager/${SECRET.arn}`, { pinned: false }],
    ['SSM reference with a version selector', '/aws/reference/secretsmanager/prod/db:0f2a-v1', { versionId: '0f2a-v1', pinned: true }]
  ])('matches the %s in secrets[].valueFrom', (_, valueFrom, expected) => {
    expect(matchSecretReference(valueFrom, SECRET, env)).toEqual({
      valueFrom,
      jsonKey: undefined,
      versionStage: undefined,
      versionId: undefined,
      ...expected
    })
  })

  it.each([
    ['another secret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-old-XyZwVu'],
    ['the same name in another region', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db'],
    ['the same name in another account', 'arn:aws:secretsmanager:eu-west-1:999999999999:secret:prod/db'],
    ['the same name in another partition', 'arn:aws-cn:secretsmanager:eu-west-1:123456789012:secret:prod/db'],
    // ECS reads a bare name in secrets[] as an SSM parameter of that name, not as this secret.
    ['a bare name (an SSM parameter)', 'prod/db'],
    ['a bare name with a JSON key', 'prod/db:password::'],
    ['an SSM parameter ARN of the same name', 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db'],
    ['an SSM reference in another region', 'arn:aws:ssm:us-east-1:123456789012:parameter/aws/reference/secretsmanager/prod/db'],
    ['an SSM reference to another secret', '/aws/reference/secretsmanager/prod/db2'],
    ['a longer name', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db2']
  ])('does not match %s', (_, valueFrom) => {
    expect(matchSecretReference(valueFrom, SECRET, env)).toBeUndefined()
  })

  it('matches a bare name in repositoryCredentials only for a task in the secret region', () => {
    expect(matchSecretReference('prod/db', SECRET, { field: 'repositoryCredentials', region: 'eu-west-1' })).toEqual({
      valueFrom: 'prod/db',
      pinned: false
    })
    expect(matchSecretReference('prod/db', SECRET, { field: 'repositoryCredentials', region: 'us-east-1' })).toBeUndefined()
    expect(matchSecretReference(SECRET.arn, SECRET, { field: 'repositoryCredentials', region: 'us-east-1' })).toEqual({
      valueFrom: SECRET.arn,
      pinned: false
    })
  })

  it('matches the same ARN and name in a replica region, and a name read there', () => {
    const replicated = { ...SECRET, regions: ['eu-west-1', 'us-east-1'] }
    const replicaArn = SECRET.arn.replace('eu-west-1', 'us-east-1')
    expect(matchSecretReference(replicaArn, replicated, env)).toMatchObject({ pinned: false })
    expect(
      matchSecretReference('/aws/reference/secretsmanager/prod/db', replicated, { field: 'secrets', region: 'us-east-1' })
    ).toMatchObject({
      pinned: false
    })
    expect(matchSecretReference(SECRET.arn.replace('eu-west-1', 'ap-south-1'), replicated, env)).toBeUndefined()
  })

  it('matches an SSM parameter ARN with a version selector, and an SSM reference to the ARN pinned to a version', () => {
    const byParameterArn = 'arn:aws:ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/prod/db:0f2a-v1'
    expect(matchSecretReference(byParameterArn, SECRET, env)).toEqual({ valueFrom: byParameterArn, versionId: '0f2a-v1', pinned: true })
    const toArn = `/aws/reference/secretsmanager/${SECRET.arn}:0f2a-v1`
    expect(matchSecretReference(toArn, SECRET, env)).toEqual({ valueFrom: toArn, versionId: '0f2a-v1', pinned: true })
  })

  it.each([
    // Same length as /aws/reference/secretsmanager/, so only the path itself tells them apart.
    [
      'an SSM parameter ARN of a copy under another path',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/mirrors/secretsmanager/prod/db'
    ],
    ['an ARN of another service', 'arn:aws:kms:eu-west-1:123456789012:secret:prod/db'],
    ['a Secrets Manager ARN of another resource type', 'arn:aws:secretsmanager:eu-west-1:123456789012:rotation:prod/db'],
    [
      'an SSM reference to the ARN of another secret',
      '/aws/reference/secretsmanager/arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db2'
    ],
    ['an SSM reference to the ARN in another region', `/aws/reference/secretsmanager/${SECRET.arn.replace('eu-west-1', 'us-east-1')}`],
    [
      'an SSM reference to the ARN in another account',
      `/aws/reference/secretsmanager/${SECRET.arn.replace('123456789012', '999999999999')}`
    ],
    ['an SSM reference to the ARN in another partition', `/aws/reference/secretsmanager/${SECRET.arn.replace('arn:aws:', 'arn:aws-cn:')}`],
    ['an SSM reference to an ARN of another service', '/aws/reference/secretsmanager/arn:aws:kms:eu-west-1:123456789012:secret:prod/db'],
    [
      'an SSM reference to a Secrets Manager ARN of another resource type',
      '/aws/reference/secretsmanager/arn:aws:secretsmanager:eu-west-1:123456789012:rotation:prod/db'
    ]
  ])('does not match %s', (_, valueFrom) => {
    expect(matchSecretReference(valueFrom, SECRET, env)).toBeUndefined()
  })

  it('takes in repositoryCredentials only the secret itself: no JSON key or version, no SSM reference', () => {
    const registry = { field: 'repositoryCredentials', region: 'eu-west-1' } as const
    expect(matchSecretReference(`${SECRET.arn}:password::`, SECRET, registry)).toBeUndefined()
    expect(matchSecretReference(`${SECRET.arn}::AWSPREVIOUS:`, SECRET, registry)).toBeUndefined()
    expect(matchSecretReference('/aws/reference/secretsmanager/prod/db', SECRET, registry)).toBeUndefined()
  })

  it('matches nothing for a secret ARN without a resource', () => {
    const truncated = { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012', name: 'prod/db' }
    expect(matchSecretReference('prod/db', truncated, { field: 'repositoryCredentials', region: 'eu-west-1' })).toBeUndefined()
    expect(matchSecretReference('/aws/reference/secretsmanager/prod/db', truncated, env)).toBeUndefined()
  })
})
