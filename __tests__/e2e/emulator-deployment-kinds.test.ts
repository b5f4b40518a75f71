import { afterEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentGroupsCommand,
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand
} from '@aws-sdk/client-codedeploy'
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand
} from '@aws-sdk/client-ecs'
import { startEmulator, type Emulator } from '../../emulator/server.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

// The endpoint's model of ECS deployment controllers and strategies, the service-deployment
// record and CodeDeploy, driven by the SDK clients the action uses, on a clock the test moves.
const KEYS = { accessKeyId: 'AKIAEMULATORSTATIC02', secretAccessKey: 'emulator-static-secret-key-0000000000002' }
let emu: Emulator | undefined
let now = 1_800_000_000_000

afterEach(async () => {
  await emu?.close()
  emu = undefined
})

async function start(scenario: ScenarioInput) {
  emu = await startEmulator({ staticCredentials: [KEYS], ...scenario }, { now: () => now })
  const config = { region: 'eu-west-1', endpoint: emu.url, credentials: KEYS, maxAttempts: 1 }
  return { ecs: new ECSClient(config), codedeploy: new CodeDeployClient(config) }
}

const describeOne = async (ecs: ECSClient, service: string) =>
  (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [service] }))).services?.[0]

const appSpec = (taskDefinition: string, container = 'web', port = 8080) =>
  JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: container, ContainerPort: port } }
        }
      }
    ]
  })

describe('the local endpoint: deployment controllers', () => {
  it('refuses a forced new deployment of a CODE_DEPLOY service with ECS’s words, and of an EXTERNAL one', async () => {
    const { ecs } = await start({
      clusters: [
        {
          name: 'prod',
          services: [
            { name: 'bg', deploymentController: 'CODE_DEPLOY', loadBalancer: 'target-group' },
            { name: 'ext', deploymentController: 'EXTERNAL' }
          ]
        }
      ]
    })
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'bg', forceNewDeployment: true }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
    })
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ext', forceNewDeployment: true }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('EXTERNAL deployment controller')
    })
    const bg = await describeOne(ecs, 'bg')
    expect(bg?.deploymentController?.type).toBe('CODE_DEPLOY')
    expect(bg?.deployments).toEqual([])
    expect(bg?.taskSets).toEqual([expect.objectContaining({ status: 'PRIMARY', startedBy: 'CodeDeploy', stabilityStatus: 'STEADY_STATE' })])
    expect(bg?.loadBalancers).toEqual([expect.objectContaining({ containerName: 'app', containerPort: 8080 })])
  })

  it('leaves rolloutState out behind a Classic Load Balancer', async () => {
    const { ecs } = await start({ clusters: [{ name: 'prod', services: [{ name: 'old', loadBalancer: 'classic' }] }] })
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'old', forceNewDeployment: true }))
    expect(service?.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', undefined],
      ['ACTIVE', undefined]
    ])
    expect(service?.loadBalancers?.[0]).toMatchObject({ loadBalancerName: 'old-clb' })
  })
})

describe('the local endpoint: the service-deployment record', () => {
  it('follows a blue/green deployment through its stages and bake time to SUCCESSFUL', async () => {
    const { ecs } = await start({
      clusters: [{ name: 'prod', services: [{ name: 'api', strategy: 'BLUE_GREEN', deploymentMs: 7000, bakeTimeMs: 60_000 }] }]
    })
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    const arn = service?.currentServiceDeployment as string
    expect(arn).toMatch(/^arn:aws:ecs:eu-west-1:123456789012:service-deployment\/prod\/api\/\w+$/)
    expect(service?.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 })
    const record = async () =>
      (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0]
    expect(await record()).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'PRE_SCALE_UP' })
    now += 6500
    expect(await record()).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT' })
    now += 1000
    expect(await record()).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' })
    expect((await describeOne(ecs, 'api'))?.deployments?.[0].rolloutState).toBe('IN_PROGRESS')
    now += 60_000
    expect(await record()).toMatchObject({ status: 'SUCCESSFUL', finishedAt: expect.any(Date) })
    expect((await describeOne(ecs, 'api'))?.deployments?.map((d) => d.rolloutState)).toEqual(['COMPLETED'])
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'api', status: ['SUCCESSFUL'] }))
    expect(listed.serviceDeployments?.map((d) => d.serviceDeploymentArn)[0]).toBe(arn)
  })

  it('records a circuit-breaker rollback with its reason and failure count', async () => {
    const { ecs } = await start({
      clusters: [{ name: 'prod', services: [{ name: 'pdf', outcome: 'circuit-breaker', deploymentMs: 3000 }] }]
    })
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'pdf', forceNewDeployment: true }))
    const arn = service?.currentServiceDeployment as string
    now += 3000
    const [rolling] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? []
    expect(rolling).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      rollback: { reason: 'Circuit breaker triggered a rollback.' },
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 }
    })
    now += 3000
    await describeOne(ecs, 'pdf')
    const [done] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? []
    expect(done?.status).toBe('ROLLBACK_SUCCESSFUL')
  })

  it('rolls a canary back when an alarm fires, naming the alarm', async () => {
    const { ecs } = await start({
      clusters: [{ name: 'prod', services: [{ name: 'web', strategy: 'CANARY', outcome: 'alarm', alarms: ['web-5xx', 'web-latency'] }] }]
    })
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }))
    now += 2000
    const [record] =
      (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [service?.currentServiceDeployment as string] })))
        .serviceDeployments ?? []
    expect(record).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS',
      alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx', 'web-latency'], triggeredAlarmNames: ['web-5xx'] }
    })
  })

  it('shows a linear deployment paused at its hook, awaiting action, for as long as nobody continues it', async () => {
    const { ecs } = await start({
      clusters: [
        {
          name: 'prod',
          services: [
            {
              name: 'pay',
              strategy: 'LINEAR',
              outcome: 'paused',
              lifecycleHooks: [{ stage: 'POST_TEST_TRAFFIC_SHIFT', targetType: 'PAUSE' }]
            }
          ]
        }
      ]
    })
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'pay', forceNewDeployment: true }))
    now += 3600_000
    const [record] =
      (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [service?.currentServiceDeployment as string] })))
        .serviceDeployments ?? []
    expect(record).toMatchObject({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [expect.objectContaining({ targetType: 'PAUSE', status: 'AWAITING_ACTION' })]
    })
  })

  it('stops a deployment that a newer one supersedes, and answers MISSING for records it does not keep', async () => {
    const { ecs } = await start({
      clusters: [
        {
          name: 'prod',
          services: [
            { name: 'api', deploymentMs: 5000 },
            { name: 'legacy', serviceDeploymentRecords: false }
          ]
        }
      ]
    })
    const first = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    const arn = first.service?.currentServiceDeployment as string
    const [record] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? []
    expect(record?.status).toBe('STOPPED')
    const legacy = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'legacy', forceNewDeployment: true }))
    expect(legacy.service?.currentServiceDeployment).toBeUndefined()
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'legacy' }))
    expect(listed.serviceDeployments).toEqual([])
    const missing = arn.replace('/api/', '/legacy/')
    const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [missing] }))
    expect(described.failures).toEqual([{ arn: missing, reason: 'MISSING' }])
  })
})

describe('the local endpoint: CodeDeploy', () => {
  const scenario = (outcome: 'succeed' | 'fail' | 'hang', services = ['prod/bg']): ScenarioInput => ({
    clusters: [
      {
        name: 'prod',
        services: [
          { name: 'bg', deploymentController: 'CODE_DEPLOY', loadBalancer: 'target-group', container: { name: 'web', port: 8080 } }
        ]
      }
    ],
    codeDeployApplications: [
      { name: 'AppECS-prod-bg', deploymentGroups: [{ name: 'DgpECS-prod-bg', services, outcome, durationMs: 4000 }] },
      { name: 'unrelated' }
    ]
  })

  it('lists the application and deployment group that names the service', async () => {
    const { codedeploy } = await start(scenario('succeed'))
    expect((await codedeploy.send(new ListApplicationsCommand({}))).applications).toEqual(['AppECS-prod-bg', 'unrelated'])
    const groups = await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: 'AppECS-prod-bg' }))
    expect(groups.deploymentGroups).toEqual(['DgpECS-prod-bg'])
    const info = await codedeploy.send(
      new BatchGetDeploymentGroupsCommand({ applicationName: 'AppECS-prod-bg', deploymentGroupNames: ['DgpECS-prod-bg', 'nope'] })
    )
    expect(info.deploymentGroupsInfo?.[0]).toMatchObject({
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'prod', serviceName: 'bg' }]
    })
    expect(info.errorMessage).toContain('nope')
    await expect(codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: 'nope' }))).rejects.toMatchObject({
      name: 'ApplicationDoesNotExistException'
    })
  })

  it('runs a deployment from an AppSpec to Succeeded and replaces the task set; a second one meanwhile is refused', async () => {
    const { ecs, codedeploy } = await start(scenario('succeed'))
    const taskDefinition = (await describeOne(ecs, 'bg'))?.taskDefinition as string
    const oldTaskSet = (await describeOne(ecs, 'bg'))?.taskSets?.[0].id
    const create = () =>
      codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: 'AppECS-prod-bg',
          deploymentGroupName: 'DgpECS-prod-bg',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition) } }
        })
      )
    const { deploymentId } = await create()
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/)
    await expect(create()).rejects.toMatchObject({
      name: 'DeploymentLimitExceededException',
      message: expect.stringContaining(deploymentId as string)
    })
    expect((await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('InProgress')
    now += 4000
    expect((await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('Succeeded')
    const taskSets = (await describeOne(ecs, 'bg'))?.taskSets
    expect(taskSets?.map((t) => t.status)).toEqual(['PRIMARY'])
    expect(taskSets?.[0].id).not.toBe(oldTaskSet)
  })

  it('fails a deployment with errorInformation and the failed lifecycle event; fails at once an AppSpec that names another container', async () => {
    const { ecs, codedeploy } = await start(scenario('fail'))
    const taskDefinition = (await describeOne(ecs, 'bg'))?.taskDefinition as string
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'AppECS-prod-bg',
        deploymentGroupName: 'DgpECS-prod-bg',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition) } }
      })
    )
    now += 4000
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR', message: expect.any(String) } })
    const targets = await codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['prod:bg'] }))
    const events = targets.deploymentTargets?.[0].ecsTarget?.lifecycleEvents ?? []
    expect(events.find((e) => e.status === 'Failed')?.lifecycleEventName).toBe('AfterAllowTestTraffic')

    const wrong = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'AppECS-prod-bg',
        deploymentGroupName: 'DgpECS-prod-bg',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition, 'other', 80) } }
      })
    )
    const failed = (await codedeploy.send(new GetDeploymentCommand({ deploymentId: wrong.deploymentId }))).deploymentInfo
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { message: expect.stringContaining('other:80') } })
  })

  it('keeps a hanging deployment InProgress however long one waits', async () => {
    const { ecs, codedeploy } = await start(scenario('hang'))
    const taskDefinition = (await describeOne(ecs, 'bg'))?.taskDefinition as string
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'AppECS-prod-bg',
        deploymentGroupName: 'DgpECS-prod-bg',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition) } }
      })
    )
    now += 24 * 3600_000
    expect((await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('InProgress')
  })
})
