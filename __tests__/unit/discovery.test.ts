import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTasksCommand
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { deployment, service } from '../../__fixtures__/ecs.js'
import { discoverServices, secretReferences } from '../../src/ecs/discover.js'
import type { ServiceOutcome } from '../../src/ecs/outcome.js'
import { proveRollout } from '../../src/ecs/rollout-proof.js'
import { matchSecretReference } from '../../src/ecs/secret-references.js'
import { parseServiceList } from '../../src/service-list.js'

const SECRET = { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', name: 'prod/db' }
const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
beforeEach(() => {
  ecsMock.reset()
})

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

describe('secretReferences', () => {
  it('reads environment secrets, log driver secret options and registry credentials, and nothing else', () => {
    const definition = {
      containerDefinitions: [
        {
          name: 'app',
          secrets: [
            { name: 'DB', valueFrom: SECRET.arn },
            { name: 'SSM_DB', valueFrom: 'prod/db' }
          ],
          logConfiguration: {
            logDriver: 'splunk' as const,
            secretOptions: [{ name: 'splunk-token', valueFrom: `${SECRET.arn}:token::` }]
          },
          repositoryCredentials: { credentialsParameter: 'prod/db' }
        },
        { name: 'sidecar', repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other' } }
      ]
    }
    expect(secretReferences(definition, SECRET, 'eu-west-1').map((r) => [r.container, r.field, r.variable, r.jsonKey])).toEqual([
      ['app', 'secrets', 'DB', undefined],
      ['app', 'logConfiguration.secretOptions', 'logConfiguration.splunk-token', 'token'],
      ['app', 'repositoryCredentials', 'repositoryCredentials', undefined]
    ])
  })
})

describe('discoverServices', () => {
  it('pages through 120 services and reads each shared task definition once', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `s${i}`)
    ecsMock.on(ListServicesCommand).callsFake(async (input) => {
      const start = Number(input.nextToken ?? 0)
      const page = names.slice(start, start + (input.maxResults ?? 10))
      return {
        serviceArns: page.map((n) => `arn:aws:ecs:eu-west-1:123456789012:service/prod/${n}`),
        nextToken: start + page.length < names.length ? String(start + page.length) : undefined
      }
    })
    // Five services use the secret through two task definitions; the rest use a third without it.
    const taskDefinitionOf = (name: string) =>
      ['s1', 's2', 's3'].includes(name) ? 'td/api:1' : ['s50', 's119'].includes(name) ? 'td/pdf:4' : 'td/other:2'
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => ({
      services: input.services.map((n: string) =>
        service(n, [deployment('ecs-svc/1')], {
          taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${taskDefinitionOf(n).slice(3)}`
        })
      )
    }))
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(async (input) => ({
      taskDefinition: {
        containerDefinitions: input.taskDefinition.endsWith('api:1')
          ? [{ name: 'api', secrets: [{ name: 'DB_PASSWORD', valueFrom: `${SECRET.arn}:password::` }] }]
          : input.taskDefinition.endsWith('pdf:4')
            ? [
                {
                  name: 'pdf',
                  secrets: [
                    { name: 'DB', valueFrom: '/aws/reference/secretsmanager/prod/db' },
                    { name: 'OLD_DB', valueFrom: `${SECRET.arn}::AWSPREVIOUS:` }
                  ]
                }
              ]
            : [{ name: 'other', secrets: [{ name: 'X', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-QwErTy' }] }]
      }
    }))

    const result = await discoverServices(() => client, [{ cluster: 'prod', clusterName: 'prod', region: 'eu-west-1', line: 1 }], SECRET)
    expect(ecsMock.commandCalls(ListServicesCommand)).toHaveLength(2)
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(12)
    expect(result.servicesScanned).toBe(120)
    expect(result.found.map((d) => d.ref.label)).toEqual(['prod/s1', 'prod/s2', 'prod/s3', 'prod/s50', 'prod/s119'])
    expect(result.found[3].references.map((r) => [r.variable, r.pinned])).toEqual([
      ['DB', false],
      ['OLD_DB', true]
    ])
    // Three distinct task definitions in the cluster, each read once.
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(3)
    expect(result.taskDefinitionsRead).toBe(3)
  })

  it('reads two task definitions for five services that share them', async () => {
    const names = ['a1', 'a2', 'a3', 'b1', 'b2']
    ecsMock.on(ListServicesCommand).resolves({ serviceArns: names.map((n) => `arn:aws:ecs:eu-west-1:123456789012:service/prod/${n}`) })
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => ({
      services: input.services.map((n: string) =>
        service(n, [], { taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${n[0]}:1` })
      )
    }))
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { containerDefinitions: [{ name: 'c', secrets: [{ name: 'S', valueFrom: SECRET.arn }] }] } })
    const result = await discoverServices(() => client, [{ cluster: 'prod', clusterName: 'prod', region: 'eu-west-1', line: 1 }], SECRET)
    expect(result.found).toHaveLength(5)
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2)
  })
})

describe('proveRollout', () => {
  const [ref] = parseServiceList('prod/api', 'eu-west-1').services
  const outcome: ServiceOutcome = { ref, status: 'succeeded', deploymentId: 'ecs-svc/new', desiredCount: 2 }
  const secretCreatedAt = new Date('2026-01-01T00:00:00Z')
  const tasks = (...list: [string, string][]) => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: list.map((_, i) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/t${i}`) })
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: list.map(([startedBy, startedAt], i) => ({
        taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/t${i}`,
        startedBy,
        startedAt: new Date(startedAt)
      }))
    })
  }

  it('counts tasks of the new deployment started after the new secret version', async () => {
    tasks(['ecs-svc/new', '2026-01-01T00:01:00Z'], ['ecs-svc/new', '2026-01-01T00:02:00Z'])
    expect(await proveRollout(client, outcome, secretCreatedAt)).toEqual({ proven: 2, total: 2, problem: undefined })
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).toMatchObject({
      cluster: 'prod',
      serviceName: 'api',
      desiredStatus: 'RUNNING'
    })
  })

  it('names a task still running from an older deployment', async () => {
    tasks(['ecs-svc/new', '2026-01-01T00:01:00Z'], ['ecs-svc/old', '2025-12-31T00:00:00Z'])
    expect(await proveRollout(client, outcome, secretCreatedAt)).toEqual({
      proven: 1,
      total: 2,
      problem: '1 running tasks are not from deployment ecs-svc/new (e.g. t1)'
    })
  })

  it('names a task that started before the new secret version', async () => {
    tasks(['ecs-svc/new', '2025-12-31T23:59:00Z'])
    expect((await proveRollout(client, outcome, secretCreatedAt)).problem).toBe('1 tasks started before the new secret version (e.g. t0)')
  })
})
