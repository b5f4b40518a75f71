import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { startEmulator, type Emulator } from '../../../emulator/server.js'

// The router moves each model's clock once per call, before the handler: no read can answer from
// a state older than the call, whether or not its handler thinks of it.
const KEYS = { accessKeyId: 'AKIAEMULATORUNIT0001', secretAccessKey: 'emulator-unit-secret-key-000000000000000' }
let emu: Emulator | undefined
let clock = 1_800_000_000_000

async function start() {
  emu = await startEmulator(
    {
      staticCredentials: [KEYS],
      secrets: [{ name: 'prod/db', value: 'pw-unit' }],
      clusters: [{ name: 'prod', services: [{ name: 'api', desiredCount: 2, deploymentMs: 1000 }] }]
    },
    { now: () => clock }
  )
  const config = { region: 'eu-west-1', endpoint: emu.url, credentials: KEYS, maxAttempts: 1 }
  return { emu, ecs: new ECSClient(config), secrets: new SecretsManagerClient(config) }
}
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

describe('the router', () => {
  it("advances only the called service's model, once per call, with the call's time", async () => {
    const { emu, ecs, secrets } = await start()
    const ecsAdvance = jest.spyOn(emu.ecs, 'advance')
    const secretsAdvance = jest.spyOn(emu.secrets, 'advance')
    await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'api' }))
    clock += 10
    await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'api' }))
    await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(ecsAdvance.mock.calls).toEqual([[clock - 10], [clock]])
    expect(secretsAdvance.mock.calls).toEqual([[clock]])
  })

  it('advances before a handler that fails, and not for a call refused before it', async () => {
    const { emu, ecs } = await start()
    const advance = jest.spyOn(emu.ecs, 'advance')
    await expect(ecs.send(new ListTasksCommand({ cluster: 'nowhere' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' })
    expect(advance).toHaveBeenCalledTimes(1)
    const stranger = new ECSClient({
      region: 'eu-west-1',
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
      maxAttempts: 1
    })
    await expect(stranger.send(new ListTasksCommand({ cluster: 'prod' }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' })
    expect(advance).toHaveBeenCalledTimes(1)
  })

  it('lets DescribeTasks alone see a rollout end: the old tasks stop once the new deployment completed', async () => {
    const { ecs } = await start()
    const old = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'api' }))).taskArns ?? []
    expect(old).toHaveLength(2)
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    const before = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: old }))
    expect(before.tasks?.map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING'])
    clock += 1000
    const after = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: old }))
    expect(after.tasks?.map((t) => t.lastStatus)).toEqual(['STOPPED', 'STOPPED'])
    expect(after.tasks?.map((t) => t.stoppedAt?.getTime())).toEqual([clock, clock])
  })
})

describe('Emulator.writes', () => {
  it('counts the calls of write operations, by service and operation', async () => {
    const { emu, ecs } = await start()
    await ecs.send(new ListTasksCommand({ cluster: 'prod' }))
    expect(emu.writes()).toEqual([])
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    expect(emu.writes().map((c) => `${c.service}:${c.operation}`)).toEqual(['ecs:UpdateService'])
  })
})
