import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { deployment, service } from '../../../__fixtures__/ecs.js'
import { discoverServices, secretReferences } from '../../../src/ecs/discover.js'

const SECRET = { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', name: 'prod/db' }
const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
beforeEach(() => {
  ecsMock.reset()
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
