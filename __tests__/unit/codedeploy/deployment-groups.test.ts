import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentGroupsCommand,
  CodeDeployClient,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  type BatchGetDeploymentGroupsCommandInput,
  type ListDeploymentGroupsCommandInput
} from '@aws-sdk/client-codedeploy'
import { mockClient } from 'aws-sdk-client-mock'
import { ecsDeploymentGroups } from '../../../src/codedeploy/deployment-groups.js'

const cdMock = mockClient(CodeDeployClient)
const cdClient = new CodeDeployClient({ region: 'eu-west-1' })

beforeEach(() => {
  cdMock.reset()
})

/**
 * CodeDeploy with `counts[app]` groups per application, named `dg-<i>`, each deploying the ECS
 * service `<app>/svc-<i>`; groups whose index is in `server` deploy to EC2 instead.
 */
function codeDeploy(counts: Record<string, number>, server: number[] = []) {
  cdMock.on(ListApplicationsCommand).resolves({ applications: Object.keys(counts) })
  cdMock.on(ListDeploymentGroupsCommand).callsFake(async (input: ListDeploymentGroupsCommandInput) => ({
    applicationName: input.applicationName,
    // CodeDeploy leaves the list out when an application has no groups.
    deploymentGroups: counts[input.applicationName as string]
      ? Array.from({ length: counts[input.applicationName as string] }, (_, i) => `dg-${i}`)
      : undefined
  }))
  cdMock.on(BatchGetDeploymentGroupsCommand).callsFake(async (input: BatchGetDeploymentGroupsCommandInput) => ({
    deploymentGroupsInfo: (input.deploymentGroupNames ?? []).map((name) => {
      const i = Number(name.slice('dg-'.length))
      return {
        applicationName: input.applicationName,
        deploymentGroupName: name,
        computePlatform: server.includes(i) ? 'Server' : 'ECS',
        ecsServices: [{ clusterName: input.applicationName, serviceName: `svc-${i}` }]
      }
    })
  }))
}

describe('ecsDeploymentGroups', () => {
  it('reads the groups of every application, 100 names per BatchGetDeploymentGroups, and none for an application without groups', async () => {
    codeDeploy({ big: 150, empty: 0 })
    const byService = await ecsDeploymentGroups(cdClient)
    expect(cdMock.commandCalls(ListDeploymentGroupsCommand).map((c) => c.args[0].input.applicationName)).toEqual(['big', 'empty'])
    const batches = cdMock.commandCalls(BatchGetDeploymentGroupsCommand).map((c) => c.args[0].input)
    expect(batches.map((b) => [b.applicationName, b.deploymentGroupNames?.length, b.deploymentGroupNames?.[0]])).toEqual([
      ['big', 100, 'dg-0'],
      ['big', 50, 'dg-100']
    ])
    expect(byService.size).toBe(150)
    expect(byService.get('big/svc-149')).toEqual([{ application: 'big', group: 'dg-149' }])
  })

  it('finds nothing, and reads no groups, when the region has no applications', async () => {
    cdMock.on(ListApplicationsCommand).resolves({})
    expect(await ecsDeploymentGroups(cdClient)).toEqual(new Map())
    expect(cdMock.commandCalls(ListDeploymentGroupsCommand)).toHaveLength(0)
  })

  it('leaves out groups that do not deploy to ECS', async () => {
    codeDeploy({ app: 3 }, [1])
    const byService = await ecsDeploymentGroups(cdClient)
    expect([...byService.entries()]).toEqual([
      ['app/svc-0', [{ application: 'app', group: 'dg-0' }]],
      ['app/svc-2', [{ application: 'app', group: 'dg-2' }]]
    ])
  })
})
