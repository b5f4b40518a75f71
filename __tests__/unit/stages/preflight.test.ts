import { beforeEach, describe, expect, it } from '@jest/globals'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput } from '@aws-sdk/client-ecs'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { deployment, service } from '../../../__fixtures__/ecs.js'
import { settingsFrom } from '../../../__fixtures__/settings.js'
import type { AwsClients } from '../../../src/aws/clients.js'
import { WriteGate } from '../../../src/run/writes.js'
import { preflightStage } from '../../../src/stages/preflight.js'
import type { StageContext } from '../../../src/run/context.js'

const ecsMock = mockClient(ECSClient)
const ecs = new ECSClient({ region: 'eu-west-1' })
const clients = {
  ecs: () => ecs,
  ecsWriter: () => ecs,
  codedeploy: () => new CodeDeployClient({ region: 'eu-west-1' }),
  secretsManager: () => new SecretsManagerClient({ region: 'eu-west-1' })
} as unknown as AwsClients
const ctx: StageContext = {
  clock: { now: () => 0, sleep: async () => undefined },
  env: {},
  log: { info: () => undefined, warn: () => undefined, mask: () => undefined, group: () => undefined },
  writes: new WriteGate()
}

beforeEach(() => {
  ecsMock.reset()
  // Answers from the input: each asked service, a rolling one and an ECS blue/green one.
  ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).map((name) =>
      service(name, [deployment(`ecs-svc/${name}`, { rolloutState: 'COMPLETED', createdAt: new Date(0), updatedAt: new Date(90_000) })], {
        deploymentConfiguration: { strategy: name === 'blue' ? 'BLUE_GREEN' : 'ROLLING' }
      })
    ),
    failures: []
  }))
})

describe('preflightStage', () => {
  const { settings } = settingsFrom({ 'aws-region': 'eu-west-1', mode: 'redeploy', services: 'prod/api\nprod/blue' })

  it('chooses each service kind and says how long its last deployment took', async () => {
    const preflight = await preflightStage(ctx, settings, clients, settings.services)
    expect([...preflight.kinds.values()].map((k) => k.name)).toEqual(['rolling', 'blue-green'])
    expect([...preflight.expected.values()]).toEqual([90_000, 90_000])
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1)
  })

  it('gives a later round kind instances of its own, from the same answers, without asking ECS again', async () => {
    const preflight = await preflightStage(ctx, settings, clients, settings.services)
    const again = await preflight.kindsForNewRound()
    const [api, blue] = settings.services
    for (const ref of [api, blue]) {
      const [first, second] = [preflight.kinds.get(ref), again.get(ref)]
      expect(second).toMatchObject({ name: first?.name })
      expect(second).not.toBe(first)
    }
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1)
  })
})
