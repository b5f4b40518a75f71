import { beforeEach, describe, expect, it } from '@jest/globals'
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { deployment, refs, service } from '../../../__fixtures__/ecs.js'
import type { KindContext } from '../../../src/ecs/kinds/kind.js'
import { rollingKind } from '../../../src/ecs/kinds/rolling.js'
import type { ServiceOutcome } from '../../../src/ecs/outcome.js'
import { redeployServices } from '../../../src/ecs/redeploy.js'
import { ServiceTracker } from '../../../src/ecs/service-state.js'
import type { ServiceRef } from '../../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client
const codeDeployMock = mockClient(CodeDeployClient)
const codedeployClient = new CodeDeployClient({ region: 'eu-west-1' })
const codedeploy = () => codedeployClient
const warnings: string[] = []
const context = (clock: ReturnType<typeof fakeClock>, deadlineMs = 600_000): KindContext => ({
  ecs,
  ecsWriter: ecs,
  codedeploy,
  warn: (message) => warnings.push(message),
  clock,
  deadline: clock.now() + deadlineMs
})

beforeEach(() => {
  ecsMock.reset()
  codeDeployMock.reset()
  warnings.length = 0
})

/** Redeploys every service with the rolling kind, and returns the round's snapshot. */
async function redeploy(list: ServiceRef[], clock: ReturnType<typeof fakeClock>, deadlineMs: number): Promise<ServiceOutcome[]> {
  const tracker = new ServiceTracker(list, clock)
  const kind = rollingKind()
  await redeployServices(list, () => kind, tracker, context(clock, deadlineMs))
  return tracker.snapshot()
}

describe('redeployServices', () => {
  it('forces a new deployment of each service and records the PRIMARY deployment; a refused call fails only its service', async () => {
    ecsMock.on(UpdateServiceCommand).callsFake(async (input) => {
      if (input.service === 's3') throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' })
      return {
        service: service(input.service, [
          deployment(`ecs-svc/${input.service}`, { createdAt: new Date(0) }),
          deployment('ecs-svc/old', { status: 'ACTIVE' })
        ])
      }
    })
    const clock = fakeClock()
    const pending = refs(Array.from({ length: 6 }, (_, i) => `c${i % 2}/s${i}`).join('\n'))
    const outcomes = await redeploy(pending, clock, 60_000)
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({ cluster: 'c0', service: 's0', forceNewDeployment: true })
    expect(outcomes.map((o) => [o.status, o.deploymentId ?? o.reason])).toEqual([
      ['started', 'ecs-svc/s0'],
      ['started', 'ecs-svc/s1'],
      ['started', 'ecs-svc/s2'],
      ['failed', 'UpdateService failed: AccessDeniedException: denied'],
      ['started', 'ecs-svc/s4'],
      ['started', 'ecs-svc/s5']
    ])
  })
})

describe('redeploy under throttling', () => {
  it('sends a throttled UpdateService again until it goes through, and gives up at the deadline', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
    ecsMock
      .on(UpdateServiceCommand, { service: 'api' })
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ service: service('api', [deployment('ecs-svc/api-1')]) })
    ecsMock.on(UpdateServiceCommand, { service: 'pdf' }).rejects(throttled)
    const clock = fakeClock()
    const outcomes = await redeploy(refs('prod/api\nprod/pdf'), clock, 30_000)
    expect(outcomes.map((o) => o.status)).toEqual(['started', 'failed'])
    expect(outcomes[1].reason).toBe('UpdateService failed: ThrottlingException: Rate exceeded')
    expect(ecsMock.commandCalls(UpdateServiceCommand, { service: 'api' })).toHaveLength(3)
    expect(ecsMock.commandCalls(UpdateServiceCommand, { service: 'pdf' }).length).toBeGreaterThan(3)
  })

  it('does not send a call again that failed for another reason', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    const clock = fakeClock()
    await redeploy(refs('prod/api'), clock, 30_000)
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1)
  })
})
