import type { ScenarioInput } from '../emulator/scenario.js'
import { seededRandom } from '../emulator/random.js'

export const STATIC_KEYS = { accessKeyId: 'AKIABENCHSTATIC00001', secretAccessKey: 'bench-static-secret-key-000000000000000' }
export const ROLE = 'arn:aws:iam::123456789012:role/bench'
const ACCOUNT = '123456789012'

/**
 * ECS's token buckets, per account and region, as ECS publishes them (burst, refill a second).
 * Each read bucket is shared by several operations; the bench reports the reads of each.
 */
export const ECS_BUCKETS = {
  'service reads': { operations: ['DescribeServices', 'ListServices'], burst: 100, perSecond: 20 },
  'cluster-resource reads': { operations: ['ListTasks', 'DescribeTasks'], burst: 100, perSecond: 20 },
  'service-deployment reads': { operations: ['ListServiceDeployments', 'DescribeServiceDeployments'], burst: 50, perSecond: 20 },
  'task-definition reads': { operations: ['DescribeTaskDefinition'], burst: 50, perSecond: 20 },
  'service writes': { operations: ['UpdateService'], burst: 50, perSecond: 5 }
} as const
export type BucketName = keyof typeof ECS_BUCKETS
export const READ_BUCKETS: BucketName[] = ['service reads', 'cluster-resource reads', 'service-deployment reads', 'task-definition reads']
const ecsThrottling = Object.entries(ECS_BUCKETS).map(([name, b]) => ({
  name,
  operations: [...b.operations],
  ratePerSecond: b.perSecond,
  burst: b.burst
}))

export interface BenchScenario {
  name: string
  description: string
  scenario: ScenarioInput
  /** As the `services` input lists them: cluster/service, or service ARNs across regions. */
  services: string[]
  /** Each service's region and deployment time, for the lower bound. */
  deployments: { region: string; ms: number }[]
}

function build(
  name: string,
  description: string,
  shape: { regions: string[]; clusters: number; perCluster: number },
  durationMs: (i: number) => number
): BenchScenario {
  const services: string[] = []
  const deployments: BenchScenario['deployments'] = []
  const clusters = shape.regions.flatMap((region, r) =>
    Array.from({ length: shape.clusters }, (_, c) => ({
      name: `cluster-${c + 1}`,
      region,
      services: Array.from({ length: shape.perCluster }, (_, s) => {
        const ms = durationMs((r * shape.clusters + c) * shape.perCluster + s)
        const service = `svc-${s + 1}`
        // One region: cluster/service; several: service ARNs, which carry their region.
        services.push(
          shape.regions.length === 1
            ? `cluster-${c + 1}/${service}`
            : `arn:aws:ecs:${region}:${ACCOUNT}:service/cluster-${c + 1}/${service}`
        )
        deployments.push({ region, ms })
        return { name: service, deploymentMs: ms }
      })
    }))
  )
  return {
    name,
    description,
    services,
    deployments,
    scenario: {
      name,
      account: ACCOUNT,
      region: shape.regions[0],
      staticCredentials: [STATIC_KEYS],
      roles: [{ arn: ROLE }],
      clusters,
      throttling: ecsThrottling
    }
  }
}

/** S1: 4 clusters x 5 services, each deployment takes 20 s. */
export const S1 = build(
  'S1',
  '4 clusters x 5 services, 20 s deployments',
  { regions: ['eu-west-1'], clusters: 4, perCluster: 5 },
  () => 20_000
)

/**
 * S2: 10 clusters x 50 services, deployments of 10-60 s (seeded), with ECS's buckets for one
 * account and region. No client can start the 500th deployment before (500 - 50) / 5 = 90 s.
 */
const random = seededRandom(2026)
export const S2 = build(
  'S2',
  '10 clusters x 50 services, 10-60 s deployments, ECS rate limits',
  { regions: ['eu-west-1'], clusters: 10, perCluster: 50 },
  () => 10_000 + Math.floor(random() * 50_000)
)

/** S5: 2,000 services in 4 regions (5 clusters x 100 services each), ECS's buckets in each region. */
const random5 = seededRandom(5)
export const S5 = build(
  'S5',
  '4 regions x 5 clusters x 100 services, 10-60 s deployments, ECS rate limits per region',
  { regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1'], clusters: 5, perCluster: 100 },
  () => 10_000 + Math.floor(random5() * 50_000)
)
