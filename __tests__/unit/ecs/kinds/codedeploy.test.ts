import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentGroupsCommand,
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentTargetsCommand,
  type CreateDeploymentCommandInput
} from '@aws-sdk/client-codedeploy'
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../../__fixtures__/clock.js'
import { refs, service } from '../../../../__fixtures__/ecs.js'
import { codeDeployKind, observeDeployment } from '../../../../src/ecs/kinds/codedeploy.js'
import type { KindContext } from '../../../../src/ecs/kinds/kind.js'
import type { ServiceOutcome } from '../../../../src/ecs/outcome.js'

const ecsMock = mockClient(ECSClient)
const cdMock = mockClient(CodeDeployClient)
const ecsClient = new ECSClient({ region: 'eu-west-1' })
const cdClient = new CodeDeployClient({ region: 'eu-west-1' })
const warnings: string[] = []
const ctx: KindContext = {
  ecs: () => ecsClient,
  ecsWriter: () => ecsClient,
  codedeploy: () => cdClient,
  warn: (m) => warnings.push(m),
  clock: fakeClock(),
  deadline: Number.MAX_SAFE_INTEGER
}

beforeEach(() => {
  ecsMock.reset()
  cdMock.reset()
  warnings.length = 0
})

const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7'
const blueGreen = (fields: Partial<Service> = {}): Service =>
  service('bg', [], {
    deploymentController: { type: 'CODE_DEPLOY' },
    taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, loadBalancers: [{ containerName: 'web', containerPort: 8080 }] }],
    ...fields
  })

/** CodeDeploy with applications whose groups name `cluster/service` pairs. */
function groups(apps: Record<string, Record<string, string[]>>) {
  cdMock.on(ListApplicationsCommand).resolves({ applications: Object.keys(apps) })
  for (const [app, dgs] of Object.entries(apps)) {
    cdMock.on(ListDeploymentGroupsCommand, { applicationName: app }).resolves({ applicationName: app, deploymentGroups: Object.keys(dgs) })
    cdMock.on(BatchGetDeploymentGroupsCommand, { applicationName: app }).resolves({
      deploymentGroupsInfo: Object.entries(dgs).map(([name, services]) => ({
        applicationName: app,
        deploymentGroupName: name,
        computePlatform: 'ECS',
        ecsServices: services.map((s) => ({ clusterName: s.split('/')[0], serviceName: s.split('/')[1] }))
      }))
    })
  }
}

const outcome = (label: string, deploymentId: string, fields: Partial<ServiceOutcome> = {}): ServiceOutcome => ({
  ref: refs(label)[0],
  status: 'started',
  deploymentId,
  ...fields
})

describe('the CodeDeploy kind', () => {
  it('finds the one deployment group naming the service and deploys its current task definition, container and port', async () => {
    groups({ 'AppECS-prod': { 'Dg-bg': ['prod/bg'], 'Dg-other': ['prod/other'] }, Lambda: {} })
    cdMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABCDEFGH1' })
    const kind = codeDeployKind()
    const [ref] = refs('prod/bg')
    const choice = await kind.choose(ref, blueGreen(), cdClient)
    expect(choice).toEqual({ kind })
    expect(await kind.start(ref, ctx)).toEqual({ deploymentId: 'd-ABCDEFGH1', desiredCount: 2 })
    const input = cdMock.commandCalls(CreateDeploymentCommand)[0].args[0].input as CreateDeploymentCommandInput
    expect(input).toMatchObject({
      applicationName: 'AppECS-prod',
      deploymentGroupName: 'Dg-bg',
      revision: { revisionType: 'AppSpecContent' }
    })
    expect(JSON.parse(input.revision?.appSpecContent?.content as string)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: { TaskDefinition: TD, LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } }
          }
        }
      ]
    })
    expect(input.revision?.appSpecContent?.content).toContain('"version":0.0')
  })

  it('refuses, before any write, a service no group names, one two groups name, and one without a load balancer', async () => {
    groups({ A: { one: ['prod/twice'] }, B: { two: ['prod/twice'] } })
    const kind = codeDeployKind()
    const choose = (label: string, s: Service) => kind.choose(refs(label)[0], s, cdClient)
    expect(await choose('prod/bg', blueGreen())).toEqual({
      refused: expect.stringContaining('no CodeDeploy deployment group (compute platform ECS) in eu-west-1 names it')
    })
    expect(await choose('prod/twice', blueGreen())).toEqual({
      refused: expect.stringContaining('2 CodeDeploy deployment groups name it (A/one, B/two)')
    })
    expect(await choose('prod/bg', blueGreen({ taskSets: [{ status: 'PRIMARY', taskDefinition: TD }], loadBalancers: [] }))).toEqual({
      refused: expect.stringContaining('no load balancer container and port')
    })
    // The groups of a region are read once per round.
    expect(cdMock.commandCalls(ListApplicationsCommand)).toHaveLength(1)
    expect(cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
  })

  it('refuses a service whose deployment group cannot be looked up, with AWS’s words', async () => {
    cdMock
      .on(ListApplicationsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: codedeploy:ListApplications'), { name: 'AccessDeniedException' }))
    const choice = await codeDeployKind().choose(refs('prod/bg')[0], blueGreen(), cdClient)
    expect(choice).toEqual({ refused: expect.stringContaining('could not be looked up: AccessDeniedException: not authorized') })
  })

  it('takes over the active deployment a lost answer left behind only when this round created it', async () => {
    groups({ App: { Dg: ['prod/bg'] } })
    const kind = codeDeployKind()
    const [ref] = refs('prod/bg')
    await kind.choose(ref, blueGreen(), cdClient)
    const limit = (id: string) =>
      Object.assign(new Error(`The Deployment Group 'Dg' already has an active Deployment '${id}'`), {
        name: 'DeploymentLimitExceededException'
      })
    let ours = ''
    cdMock.on(CreateDeploymentCommand).callsFake((input: CreateDeploymentCommandInput) => {
      ours = input.description as string
      throw limit('d-OURS00001')
    })
    cdMock
      .on(GetDeploymentCommand, { deploymentId: 'd-OURS00001' })
      .callsFake(() => ({ deploymentInfo: { deploymentId: 'd-OURS00001', description: ours } }))
    expect((await kind.start(ref, ctx)).deploymentId).toBe('d-OURS00001')

    cdMock.on(CreateDeploymentCommand).rejects(limit('d-SOMEONE01'))
    cdMock
      .on(GetDeploymentCommand, { deploymentId: 'd-SOMEONE01' })
      .resolves({ deploymentInfo: { deploymentId: 'd-SOMEONE01', description: 'a deploy' } })
    await expect(kind.start(ref, ctx)).rejects.toThrow("already has an active Deployment 'd-SOMEONE01'")
  })

  it('judges each deployment by its status, quoting errorInformation, in one BatchGetDeployments', async () => {
    cdMock.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        { deploymentId: 'd-OK', status: 'Succeeded' },
        { deploymentId: 'd-FAIL', status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'tasks failed to start' } },
        { deploymentId: 'd-STOP', status: 'Stopped', errorInformation: { code: 'MANUAL_STOP', message: 'stopped by a user' } },
        { deploymentId: 'd-RUN', status: 'InProgress' }
      ]
    })
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service('a', [], { taskSets: [{ id: 'ecs-svc/green', status: 'PRIMARY', runningCount: 2, computedDesiredCount: 2 }] })]
    })
    const seen = await codeDeployKind().observe(
      [outcome('p/a', 'd-OK'), outcome('p/b', 'd-FAIL'), outcome('p/c', 'd-STOP'), outcome('p/d', 'd-RUN'), outcome('p/e', 'd-GONE')],
      ctx
    )
    expect([...seen.values()]).toEqual([
      // The proof checks the tasks of the task set it created.
      { state: 'succeeded', tasksStartedBy: 'ecs-svc/green', runningCount: 2, desiredCount: 2 },
      { state: 'failed', reason: 'CodeDeploy deployment d-FAIL Failed: ECS_UPDATE_ERROR: tasks failed to start' },
      { state: 'failed', reason: 'CodeDeploy deployment d-STOP Stopped: MANUAL_STOP: stopped by a user' },
      { state: 'in-progress', progress: 'CodeDeploy deployment d-RUN InProgress' },
      { state: 'unseen', warning: 'BatchGetDeployments did not return d-GONE' }
    ])
    expect(cdMock.commandCalls(BatchGetDeploymentsCommand)).toHaveLength(1)
  })

  it('explains a failure by its failed lifecycle event, and a timeout by the one still running', async () => {
    cdMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod:bg'] })
    cdMock.on(BatchGetDeploymentTargetsCommand).resolves({
      deploymentTargets: [
        {
          ecsTarget: {
            lifecycleEvents: [
              { lifecycleEventName: 'Install', status: 'Succeeded' },
              { lifecycleEventName: 'AfterAllowTestTraffic', status: 'Failed', diagnostics: { message: 'hook returned Failed' } },
              { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: new Date('2026-01-01T00:00:00Z') }
            ]
          }
        }
      ]
    })
    expect(await codeDeployKind().explain(outcome('prod/bg', 'd-X', { status: 'failed' }), ctx)).toEqual([
      'lifecycle event AfterAllowTestTraffic Failed: hook returned Failed',
      'lifecycle event AllowTraffic still InProgress since 2026-01-01T00:00:00.000Z'
    ])
    cdMock.on(ListDeploymentTargetsCommand).rejects(new Error('boom'))
    expect(await codeDeployKind().explain(outcome('prod/bg', 'd-X', { status: 'failed' }), ctx)).toEqual([])
  })
})

describe('the CodeDeploy kind, in detail', () => {
  /** A kind that chose `prod/bg` (deployment group App/Dg) at preflight. */
  async function chosen() {
    groups({ App: { Dg: ['prod/bg'] } })
    const kind = codeDeployKind()
    const [ref] = refs('prod/bg')
    expect(await kind.choose(ref, blueGreen(), cdClient)).toEqual({ kind })
    return { kind, ref }
  }

  it('names itself and the call that starts it, and marks its deployments with a description of this round', async () => {
    const { kind, ref } = await chosen()
    expect([kind.name, kind.startCall]).toEqual(['codedeploy', 'CreateDeployment'])
    cdMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABCDEFGH1' })
    await kind.start(ref, ctx)
    expect(cdMock.commandCalls(CreateDeploymentCommand)[0].args[0].input.description).toMatch(
      /^secret-rollout: redeploy with the same task definition \([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/
    )
  })

  it('refuses to start a service preflight chose no deployment group for', async () => {
    await expect(codeDeployKind().start(refs('prod/bg')[0], ctx)).rejects.toThrow(
      new Error('no CodeDeploy deployment group was chosen for it at preflight')
    )
    expect(cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
  })

  it('fails when CreateDeployment answers without a deployment id', async () => {
    const { kind, ref } = await chosen()
    cdMock.on(CreateDeploymentCommand).resolves({})
    await expect(kind.start(ref, ctx)).rejects.toThrow(new Error('CreateDeployment returned no deployment id'))
  })

  it('looks for its own deployment only behind a DeploymentLimitExceededException that names one', async () => {
    const { kind, ref } = await chosen()
    cdMock.on(GetDeploymentCommand).callsFake(async (input: { deploymentId?: string }) => ({
      deploymentInfo: { deploymentId: input.deploymentId, description: 'a deploy' }
    }))
    cdMock
      .on(CreateDeploymentCommand)
      .rejects(Object.assign(new Error("Revision of deployment 'd-OTHER0001' is invalid"), { name: 'InvalidRevisionException' }))
    await expect(kind.start(ref, ctx)).rejects.toThrow("Revision of deployment 'd-OTHER0001' is invalid")
    cdMock
      .on(CreateDeploymentCommand)
      .rejects(Object.assign(new Error('The Deployment Group has an active Deployment'), { name: 'DeploymentLimitExceededException' }))
    await expect(kind.start(ref, ctx)).rejects.toThrow('The Deployment Group has an active Deployment')
    expect(cdMock.commandCalls(GetDeploymentCommand)).toHaveLength(0)
  })

  it('leaves every deployment of a batch unseen, with AWS’s words, when BatchGetDeployments fails', async () => {
    cdMock.on(BatchGetDeploymentsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
    const seen = await codeDeployKind().observe([outcome('p/a', 'd-A'), outcome('p/b', 'd-B')], ctx)
    expect([...seen.entries()].map(([ref, o]) => [ref.label, o])).toEqual([
      ['p/a', { state: 'unseen', warning: 'ThrottlingException: Rate exceeded' }],
      ['p/b', { state: 'unseen', warning: 'ThrottlingException: Rate exceeded' }]
    ])
  })

  it("leaves a succeeded deployment unseen when its service's PRIMARY task set cannot be read", async () => {
    cdMock.on(BatchGetDeploymentsCommand).callsFake(async (input: { deploymentIds?: string[] }) => ({
      deploymentsInfo: (input.deploymentIds ?? []).map((deploymentId) => ({ deploymentId, status: 'Succeeded' }))
    }))
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'denied' })
      .rejects(Object.assign(new Error('not authorized to perform: ecs:DescribeServices'), { name: 'AccessDeniedException' }))
    ecsMock.on(DescribeServicesCommand, { cluster: 'p' }).callsFake(async (input: { services?: string[] }) => ({
      services: (input.services ?? []).map((name) => service(name, [], { taskSets: [{ id: 'ecs-svc/blue', status: 'ACTIVE' }] }))
    }))
    const seen = await codeDeployKind().observe([outcome('denied/a', 'd-A'), outcome('p/b', 'd-B')], ctx)
    expect([...seen.values()]).toEqual([
      {
        state: 'unseen',
        warning: 'd-A succeeded; its task set could not be read: AccessDeniedException: not authorized to perform: ecs:DescribeServices'
      },
      { state: 'unseen', warning: 'd-B succeeded; its task set could not be read: no PRIMARY task set' }
    ])
  })

  it('words each deployment status, with whatever errorInformation CodeDeploy gave', () => {
    expect(
      [
        { deploymentId: 'd-1', status: 'Failed' as const },
        { deploymentId: 'd-2', status: 'Failed' as const, errorInformation: { message: 'tasks failed to start' } },
        { status: 'Stopped' as const, errorInformation: { code: 'MANUAL_STOP' as const } },
        { deploymentId: 'd-4', status: 'Ready' as const },
        { deploymentId: 'd-5', status: 'Baking' as const },
        { deploymentId: 'd-6' }
      ].map(observeDeployment)
    ).toEqual([
      { state: 'failed', reason: 'CodeDeploy deployment d-1 Failed' },
      { state: 'failed', reason: 'CodeDeploy deployment d-2 Failed: tasks failed to start' },
      { state: 'failed', reason: 'CodeDeploy deployment ? Stopped: MANUAL_STOP' },
      { state: 'in-progress', progress: 'CodeDeploy deployment d-4 Ready: waiting for traffic to be rerouted to the replacement task set' },
      { state: 'in-progress', progress: 'CodeDeploy deployment d-5 Baking' },
      { state: 'in-progress', progress: 'CodeDeploy deployment d-6 in an unknown state' }
    ])
  })

  it('explains nothing for an outcome without a deployment id, or a deployment without targets', async () => {
    cdMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] })
    const kind = codeDeployKind()
    expect(await kind.explain(outcome('prod/bg', '', { status: 'failed', deploymentId: undefined }), ctx)).toEqual([])
    expect(cdMock.commandCalls(ListDeploymentTargetsCommand)).toHaveLength(0)
    expect(await kind.explain(outcome('prod/bg', 'd-X', { status: 'failed' }), ctx)).toEqual([])
    expect(cdMock.commandCalls(BatchGetDeploymentTargetsCommand)).toHaveLength(0)
  })

  it('reads at most 25 targets, lists at most two events, and quotes no message the reason already has', async () => {
    const targetIds = Array.from({ length: 30 }, (_, i) => `prod:bg-${i}`)
    cdMock.on(ListDeploymentTargetsCommand, { deploymentId: 'd-X' }).resolves({ targetIds })
    cdMock.on(BatchGetDeploymentTargetsCommand, { deploymentId: 'd-X' }).resolves({
      deploymentTargets: [
        {
          ecsTarget: {
            lifecycleEvents: [
              { lifecycleEventName: 'BeforeInstall', status: 'Failed', diagnostics: { message: 'hook returned Failed' } },
              { lifecycleEventName: 'AfterInstall', status: 'Failed' },
              { lifecycleEventName: 'AllowTraffic', status: 'InProgress' }
            ]
          }
        }
      ]
    })
    const reason = 'CodeDeploy deployment d-X Failed: hook returned Failed'
    expect(await codeDeployKind().explain(outcome('prod/bg', 'd-X', { status: 'failed', reason }), ctx)).toEqual([
      'lifecycle event BeforeInstall Failed',
      'lifecycle event AfterInstall Failed'
    ])
    expect(cdMock.commandCalls(BatchGetDeploymentTargetsCommand)[0].args[0].input.targetIds).toEqual(targetIds.slice(0, 25))
  })

  it('says since when an event runs only when CodeDeploy gave its start time', async () => {
    cdMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod:bg'] })
    cdMock.on(BatchGetDeploymentTargetsCommand).resolves({
      deploymentTargets: [{ ecsTarget: { lifecycleEvents: [{ lifecycleEventName: 'AllowTraffic', status: 'InProgress' }] } }]
    })
    expect(await codeDeployKind().explain(outcome('prod/bg', 'd-X', { status: 'failed' }), ctx)).toEqual([
      'lifecycle event AllowTraffic still InProgress'
    ])
  })
})
