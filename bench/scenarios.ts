import type { ScenarioInput } from '../emulator/scenario.js'
import { seededRandom } from '../emulator/random.js'

export const STATIC_KEYS = { accessKeyId: 'AKIABENCHSTATIC00001', secretAccessKey: 'bench-static-secret-key-000000000000000' }
export const ROLE = 'arn:aws:iam::123456789012:role/bench'

export interface BenchScenario {
  name: string
  description: string
  scenario: ScenarioInput
  services: string[]
}

function build(
  name: string,
  description: string,
  clusters: number,
  perCluster: number,
  durationMs: (i: number) => number,
  extra: Partial<ScenarioInput> = {}
): BenchScenario {
  const services: string[] = []
  const list = Array.from({ length: clusters }, (_, c) => ({
    name: `cluster-${c + 1}`,
    services: Array.from({ length: perCluster }, (_, s) => {
      services.push(`cluster-${c + 1}/svc-${s + 1}`)
      return { name: `svc-${s + 1}`, deploymentMs: durationMs(c * perCluster + s) }
    })
  }))
  return {
    name,
    description,
    services,
    scenario: { name, staticCredentials: [STATIC_KEYS], roles: [{ arn: ROLE }], clusters: list, ...extra }
  }
}

/** S1: 4 clusters x 5 services, each deployment takes 20 s. */
export const S1 = build('S1', '4 clusters x 5 services, 20 s deployments', 4, 5, () => 20_000)

/**
 * S2: 10 clusters x 50 services, deployments of 10-60 s (seeded), throttled with the token
 * buckets ECS publishes for one account and region: service reads (DescribeServices) burst 100
 * and refill 20 a second; service writes (UpdateService) burst 50 and refill 5 a second. So no
 * client can start the 500th deployment before (500 - 50) / 5 = 90 s.
 */
const random = seededRandom(2026)
export const S2_RATES = { describeServices: { burst: 100, perSecond: 20 }, updateService: { burst: 50, perSecond: 5 } }
export const S2 = build(
  'S2',
  '10 clusters x 50 services, 10-60 s deployments, ECS rate limits',
  10,
  50,
  () => 10_000 + Math.floor(random() * 50_000),
  {
    throttling: [
      { operation: 'DescribeServices', ratePerSecond: S2_RATES.describeServices.perSecond, burst: S2_RATES.describeServices.burst },
      { operation: 'UpdateService', ratePerSecond: S2_RATES.updateService.perSecond, burst: S2_RATES.updateService.burst }
    ]
  }
)
