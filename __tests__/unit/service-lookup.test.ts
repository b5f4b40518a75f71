import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput, type Service } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { deployment, refs, service } from '../../__fixtures__/ecs.js'
import { appSpecContent, appSpecTarget } from '../../src/codedeploy/appspec.js'
import { chunks, clusterBatches, describeInBatches } from '../../src/ecs/batches.js'
import type { DeploymentKind, KindChoice } from '../../src/ecs/kinds/kind.js'
import { deploymentInProgress, preflightServices } from '../../src/ecs/preflight.js'
import { serviceKey, type ServiceRef } from '../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client

beforeEach(() => {
  ecsMock.reset()
})

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`

describe('appSpecTarget', () => {
  it("takes the PRIMARY task set's task definition and platform version, not the first task set's", () => {
    const s = service('bg', [], {
      taskDefinition: TD(1),
      taskSets: [
        { id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD(6), platformVersion: '1.3.0' },
        {
          id: 'ecs-svc/new',
          status: 'PRIMARY',
          taskDefinition: TD(7),
          platformVersion: '1.4.0',
          loadBalancers: [{ containerName: 'web', containerPort: 8080 }]
        }
      ]
    })
    expect(appSpecTarget(s)).toEqual({ taskDefinition: TD(7), containerName: 'web', containerPort: 8080, platformVersion: '1.4.0' })
  })

  it('skips a load balancer entry without a container port', () => {
    const s = service('bg', [], {
      taskDefinition: TD(3),
      loadBalancers: [{ containerName: 'sidecar' }, { containerPort: 9000 }, { containerName: 'web', containerPort: 8080 }]
    })
    expect(appSpecTarget(s)).toEqual({ taskDefinition: TD(3), containerName: 'web', containerPort: 8080, platformVersion: undefined })
  })

  it('says why when the service has no task definition at all', () => {
    const s: Service = service('bg', [], { loadBalancers: [{ containerName: 'web', containerPort: 8080 }] })
    expect(appSpecTarget(s)).toEqual({ problem: 'it has no PRIMARY task set with a task definition' })
  })
})

describe('appSpecContent', () => {
  const properties = (platformVersion?: string) =>
    JSON.parse(appSpecContent({ taskDefinition: TD(7), containerName: 'web', containerPort: 8080, platformVersion })).Resources[0]
      .TargetService.Properties

  it('pins a platform version the task set runs on, but not LATEST or none', () => {
    const base = { TaskDefinition: TD(7), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } }
    expect(properties('1.4.0')).toEqual({ ...base, PlatformVersion: '1.4.0' })
    expect(properties('LATEST')).toEqual(base)
    expect(properties(undefined)).toEqual(base)
  })
})

describe('deploymentInProgress', () => {
  it('names the PRIMARY deployment, wherever it is in the list', () => {
    const s = service('a', [deployment('ecs-svc/1', { status: 'ACTIVE', rolloutState: 'COMPLETED' }), deployment('ecs-svc/2')])
    expect(deploymentInProgress(s)).toBe('deployment ecs-svc/2 (rollout IN_PROGRESS)')
  })

  it('counts a lone PRIMARY deployment still rolling out, and two deployments even when the PRIMARY one has completed', () => {
    expect(deploymentInProgress(service('a', [deployment('ecs-svc/3')]))).toBe('deployment ecs-svc/3 (rollout IN_PROGRESS)')
    expect(
      deploymentInProgress(
        service('a', [deployment('ecs-svc/4', { rolloutState: 'COMPLETED' }), deployment('ecs-svc/3', { status: 'ACTIVE' })])
      )
    ).toBe('deployment ecs-svc/4 (rollout COMPLETED)')
  })

  it('says so when two deployments have no PRIMARY or rollout state', () => {
    const s = service('a', [
      deployment('ecs-svc/1', { status: 'ACTIVE', rolloutState: undefined }),
      deployment('ecs-svc/2', { status: 'DRAINING', rolloutState: undefined })
    ])
    expect(deploymentInProgress(s)).toBe('deployment ? (rollout with more than one deployment)')
  })

  it('sees nothing in progress with one task set', () => {
    expect(deploymentInProgress(service('a', [], { taskSets: [{ id: 'ecs-svc/9', status: 'PRIMARY' }] }))).toBeUndefined()
  })
})

describe('preflightServices', () => {
  const rolling = { name: 'rolling' } as DeploymentKind
  /** DescribeServices answering for the services asked: `absent` are missing, the others as `fields` says. */
  function answer(fields: Record<string, Partial<Service>>, absent: string[] = []) {
    ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).filter((name) => !absent.includes(name)).map((name) => service(name, [], fields[name] ?? {})),
      failures: (input.services ?? [])
        .filter((name) => absent.includes(name))
        .map((name) => ({ arn: `arn:aws:ecs:eu-west-1:123456789012:service/${input.cluster}/${name}`, reason: 'MISSING' }))
    }))
  }

  it('asks for the kind of ACTIVE services only, and warns of a rollout it will take over', async () => {
    answer({ old: { status: 'DRAINING' }, busy: { deployments: [deployment('ecs-svc/5')] } }, ['gone'])
    const chosen: string[] = []
    const choose = jest.fn(async (s: Service, ref: ServiceRef): Promise<KindChoice> => {
      chosen.push(`${ref.label}=${s.serviceName}`)
      return { kind: rolling }
    })
    const warnings: string[] = []
    const error = await preflightServices(ecs, refs('prod/api\nprod/old\nprod/gone\nprod/busy'), choose, (m) => warnings.push(m)).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(chosen).toEqual(['prod/api=api', 'prod/busy=busy'])
    expect(error?.name).toBe('PreflightError')
    expect(error?.message).toBe(
      [
        '`services`: 2 of 4 services cannot be redeployed; nothing was changed:',
        '  - line 2 prod/old (eu-west-1): service is DRAINING, not ACTIVE',
        '  - line 3 prod/gone (eu-west-1): service "gone" does not exist in cluster "prod" (MISSING)'
      ].join('\n')
    )
    expect(warnings).toEqual([
      'prod/busy: deployment ecs-svc/5 (rollout IN_PROGRESS) is still in progress; the new deployment replaces it, so this run also completes that rollout'
    ])
  })

  it('chooses kinds without warnings when nothing is rolling out', async () => {
    answer({ api: { deployments: [deployment('ecs-svc/1', { rolloutState: 'COMPLETED' })] } })
    const warnings: string[] = []
    const kinds = await preflightServices(
      ecs,
      refs('prod/api'),
      async () => ({ kind: rolling }),
      (m) => warnings.push(m)
    )
    expect([...kinds.entries()].map(([ref, kind]) => [ref.label, kind.name])).toEqual([['prod/api', 'rolling']])
    expect(warnings).toEqual([])
  })

  it("names the account of a cluster that does not exist in another account's ARN", async () => {
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }))
    const error = await preflightServices(ecs, refs('arn:aws:ecs:us-east-1:210987654321:service/far/api'), async () => ({
      kind: rolling
    })).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      [
        '`services`: 1 of 1 services cannot be redeployed; nothing was changed:',
        '  - line 1 far/api (us-east-1): cluster "far" does not exist in account 210987654321'
      ].join('\n')
    )
  })
})

describe('service batches', () => {
  it('keeps clusters of the same name in two accounts apart', () => {
    const [first] = refs('prod/api')
    const ours: ServiceRef = { ...first, account: '123456789012' }
    const theirs: ServiceRef = { ...first, account: '210987654321', line: 2 }
    expect(clusterBatches([ours, theirs]).map((b) => b.refs.map((r) => r.line))).toEqual([[1], [2]])
  })

  it('keys a service by account (the main one when not given), region, cluster and name', () => {
    const [ours, theirs] = refs('prod/api\narn:aws:ecs:us-east-1:210987654321:service/far/api')
    expect([serviceKey(ours), serviceKey(theirs)]).toEqual(['/eu-west-1/prod/api', '210987654321/us-east-1/far/api'])
    expect([serviceKey(ours, '123456789012'), serviceKey(theirs, '123456789012')]).toEqual([
      '123456789012/eu-west-1/prod/api',
      '210987654321/us-east-1/far/api'
    ])
  })

  it('cuts a list into chunks, the last one shorter, and none for an empty list', () => {
    expect(chunks([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(chunks([1, 2, 3], 2)).toEqual([[1, 2], [3]])
    expect(chunks([], 2)).toEqual([])
  })

  it('matches each DescribeServices failure to its own service, by name or ARN, and says when a service is in neither list', async () => {
    ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).filter((name) => name === 'api').map((name) => service(name, [])),
      failures: [
        { arn: `arn:aws:ecs:eu-west-1:123456789012:service/${input.cluster}/b`, reason: 'MISSING' },
        { arn: 'a', reason: 'INACTIVE' }
      ]
    }))
    const list = refs('prod/a\nprod/b\nprod/api\nprod/c')
    const seen = await describeInBatches(ecs, list)
    expect(list.map((ref) => seen.get(ref))).toEqual([
      { missing: 'INACTIVE' },
      { missing: 'MISSING' },
      { service: service('api', []) },
      { missing: 'not returned by DescribeServices' }
    ])
  })
})
