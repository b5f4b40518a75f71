import { describe, expect, it } from '@jest/globals'
import { OUTCOMES } from '../../../../emulator/ecs/deployments.js'
import { EcsModel } from '../../../../emulator/ecs/index.js'
import { parseScenario, type ScenarioInput } from '../../../../emulator/scenario.js'

// The outcomes table is the one place a deployment outcome is defined: each scenario name has its
// entry, and each entry drives the deployment as its name says.
type Outcome = keyof typeof OUTCOMES
const call = { region: 'eu-west-1', account: '123456789012' }

function deployed(outcome: Outcome, extra: Record<string, unknown> = {}) {
  let clock = 1_800_000_000_000
  const scenario: ScenarioInput = {
    clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 900, outcome, alarms: ['api-5xx'], ...extra }] }]
  }
  const ecs = new EcsModel(parseScenario(scenario), () => clock)
  ecs.handle('UpdateService', { cluster: 'prod', service: 'api', forceNewDeployment: true }, call)
  const at = (ms: number) => {
    clock += ms
    ecs.advance(clock)
    return ecs.clusters[0].services[0]
  }
  return { at }
}

describe('OUTCOMES', () => {
  it('has only outcomes a scenario may name (the type makes sure each name has its entry)', () => {
    for (const outcome of Object.keys(OUTCOMES) as Outcome[]) {
      expect(parseScenario(deployedScenario(outcome)).clusters[0].services[0].outcome).toBe(outcome)
    }
  })

  it.each<[Outcome, string, string]>([
    ['complete', 'COMPLETED', 'SUCCESSFUL'],
    ['circuit-breaker', 'FAILED', 'ROLLBACK_IN_PROGRESS'],
    ['stuck', 'IN_PROGRESS', 'IN_PROGRESS'],
    ['alarm', 'FAILED', 'ROLLBACK_IN_PROGRESS'],
    ['hook-fails', 'FAILED', 'ROLLBACK_IN_PROGRESS'],
    ['paused', 'IN_PROGRESS', 'IN_PROGRESS']
  ])('%s: the forced deployment is %s after its time, its record %s', (outcome, rolloutState, recordStatus) => {
    const { at } = deployed(outcome, { lifecycleHooks: [{ stage: 'POST_SCALE_UP' }], strategy: 'BLUE_GREEN' })
    expect(at(100).records[0].deployment.rolloutState).toBe('IN_PROGRESS')
    const service = at(900)
    const [forced] = service.records
    expect(forced.deployment.outcome).toBe(outcome)
    expect(forced.deployment.rolloutState).toBe(rolloutState)
    expect(forced.status).toBe(recordStatus)
    // A rolled-back deployment hands PRIMARY to the deployment of the previous revision.
    if (recordStatus === 'ROLLBACK_IN_PROGRESS') expect(service.deployments[0].rollbackOf).toBe(forced)
  })

  it('says why a rolled-back deployment failed only for the outcomes that roll back', () => {
    const failing = (Object.keys(OUTCOMES) as Outcome[]).filter((o) => OUTCOMES[o].failure)
    expect(failing.sort()).toEqual(['alarm', 'circuit-breaker', 'hook-fails'])
  })
})

function deployedScenario(outcome: Outcome): ScenarioInput {
  return { clusters: [{ name: 'prod', services: [{ name: 'api', outcome }] }] }
}
