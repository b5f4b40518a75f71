import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput, type Service } from '@aws-sdk/client-ecs'
import { CodeDeployClient, ListApplicationsCommand } from '@aws-sdk/client-codedeploy'
import { kindChooser } from '../../../src/ecs/kinds/index.js'
import { UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { deployment, refs, service } from '../../../__fixtures__/ecs.js'
import type { DeploymentKind, KindChoice } from '../../../src/ecs/kinds/kind.js'
import { deploymentInProgress, preflightServices } from '../../../src/ecs/preflight.js'
import { type ServiceRef } from '../../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client
const codeDeployMock = mockClient(CodeDeployClient)
const codedeployClient = new CodeDeployClient({ region: 'eu-west-1' })
const codedeploy = () => codedeployClient

beforeEach(() => {
  ecsMock.reset()
  codeDeployMock.reset()
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

describe('preflightServices', () => {
  it('lists every missing, inactive or unknown-cluster line at once', async () => {
    ecsMock.on(DescribeServicesCommand, { cluster: 'prod' }).resolves({
      services: [service('api', []), service('old', [], { status: 'DRAINING' })],
      failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/gone', reason: 'MISSING' }]
    })
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'nope' })
      .rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }))
    const error = await preflightServices(ecs, refs('prod/api\nprod/gone\nprod/old\nnope/x'), kindChooser({ codedeploy })).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      [
        '`services`: 3 of 4 services cannot be redeployed; nothing was changed:',
        '  - line 2 prod/gone (eu-west-1): service "gone" does not exist in cluster "prod" (MISSING)',
        '  - line 3 prod/old (eu-west-1): service is DRAINING, not ACTIVE',
        '  - line 4 nope/x (eu-west-1): cluster "nope" does not exist'
      ].join('\n')
    )
  })
})

describe('preflightServices and deployment controllers', () => {
  it('refuses EXTERNAL services, and CODE_DEPLOY ones no deployment group names, before any write; chooses the rolling update for ECS', async () => {
    codeDeployMock.on(ListApplicationsCommand).resolves({ applications: [] })
    ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).map((name) =>
        service(
          name,
          [],
          name === 'ecs'
            ? {}
            : {
                deploymentController: { type: name === 'ext' ? 'EXTERNAL' : 'CODE_DEPLOY' },
                taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1',
                loadBalancers: [{ containerName: 'web', containerPort: 8080 }]
              }
        )
      ),
      failures: []
    }))
    const error = await preflightServices(ecs, refs('prod/ext\nprod/cd'), kindChooser({ codedeploy })).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      [
        '`services`: 2 of 2 services cannot be redeployed; nothing was changed:',
        '  - line 1 prod/ext (eu-west-1): cannot be redeployed by this action: its deployment controller is EXTERNAL: its task sets are driven by another tool, which must start the new deployment',
        '  - line 2 prod/cd (eu-west-1): cannot be redeployed by this action: its deployment controller is CODE_DEPLOY, and no CodeDeploy deployment group (compute platform ECS) in eu-west-1 names it in its ECS services: only CodeDeploy can deploy it'
      ].join('\n')
    )
    const kinds = await preflightServices(ecs, refs('prod/ecs'), kindChooser({ codedeploy }))
    expect([...kinds.values()].map((k) => k.name)).toEqual(['rolling'])
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
  })
})
