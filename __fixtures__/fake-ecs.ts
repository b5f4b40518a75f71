import {
  DescribeServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Deployment,
  type ECSClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes
} from '@aws-sdk/client-ecs'
import type { AwsStub } from 'aws-sdk-client-mock'
import { deployment, service } from './ecs.js'

/** What a service's forced deployment does: each round (redeploy) may have its own fate. */
export type Fate = 'completes' | 'fails' | 'stuck' | 'refused'

type EcsStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, ECSClientResolvedConfig>

/**
 * ECS for services named `cluster/service`, answering only for the cluster and service asked
 * (a name in another cluster is another service): UpdateService starts deployment
 * `ecs-svc/<cluster>-<service>-<round>`, and DescribeServices shows it as its fate says from
 * the first look on. While ours rolls out the service's own counts mix in the old deployment
 * (3 running of 2 desired), so counts read from the service instead of ours show up.
 */
export function fakeEcs(ecs: EcsStub, fates: Record<string, Fate | Fate[]>) {
  const rounds = new Map<string, number>()
  const fateOf = (key: string) => {
    const fate = fates[key]
    const round = rounds.get(key) ?? 0
    return Array.isArray(fate) ? fate[Math.max(0, round - 1)] : fate
  }
  const deploymentsOf = (key: string): Deployment[] => {
    const round = rounds.get(key) ?? 0
    const id = (n: number) => `ecs-svc/${key.replace('/', '-')}-${n}`
    if (round === 0) return [deployment(id(0), { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 })]
    const old = deployment(id(round - 1), { status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 1, pendingCount: 0 })
    switch (fateOf(key)) {
      case 'completes':
        return [deployment(id(round), { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 })]
      case 'fails':
        return [deployment(id(round), { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start', runningCount: 0 }), old]
      default:
        return [deployment(id(round), { runningCount: 1, pendingCount: 1 }), old]
    }
  }
  ecs.on(UpdateServiceCommand).callsFake(async (input: { cluster?: string; service?: string }) => {
    const key = `${input.cluster}/${input.service}`
    if (!(key in fates)) throw Object.assign(new Error('Service not found.'), { name: 'ServiceNotFoundException' })
    rounds.set(key, (rounds.get(key) ?? 0) + 1)
    if (fateOf(key) === 'refused') {
      rounds.set(key, (rounds.get(key) ?? 1) - 1)
      throw Object.assign(new Error('User is not authorized to perform: ecs:UpdateService'), { name: 'AccessDeniedException' })
    }
    const round = rounds.get(key) as number
    const started = [deployment(`ecs-svc/${key.replace('/', '-')}-${round}`), ...deploymentsOf(key).slice(1)]
    return { service: service(input.service as string, started) }
  })
  ecs.on(DescribeServicesCommand).callsFake(async (input: { cluster?: string; services?: string[] }) => {
    const names = input.services ?? []
    const known = names.filter((name) => `${input.cluster}/${name}` in fates)
    return {
      services: known.map((name) => service(name, deploymentsOf(`${input.cluster}/${name}`), { runningCount: 3, desiredCount: 2 })),
      failures: names.filter((n) => !known.includes(n)).map((n) => ({ arn: n, reason: 'MISSING' }))
    }
  })
  // No stopped tasks to quote: failures are explained by the deployment's own reason.
  ecs.on(ListTasksCommand).resolves({ taskArns: [] })
  return { rounds }
}
