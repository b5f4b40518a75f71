// S4: one secret replicated from eu-west-1 to 3 regions, services in 2 accounts, 200 services.
// All must succeed, and no service in a replica region may start its new deployment before that
// region's replica has the new version as AWSCURRENT (checked from the endpoint's call log).
import { runAction } from '../__fixtures__/runner.js'
import { seededRandom } from '../emulator/random.js'
import type { ScenarioInput } from '../emulator/scenario.js'
import { OIDC_REQUEST_TOKEN, startEmulator } from '../emulator/server.js'
import { peakRssSampler } from './measure.js'
import { ROLE } from './scenarios.js'

const PRIMARY = 'eu-west-1'
/** Replica regions and how long each takes to show a change (the endpoint's replication lag). */
const REPLICAS = [
  { region: 'us-east-1', lagMs: 4000 },
  { region: 'us-west-2', lagMs: 8000 },
  { region: 'ap-southeast-2', lagMs: 12_000 }
]
const ACCOUNTS = ['123456789012', '222222222222']
const OTHER_ROLE = 'arn:aws:iam::222222222222:role/bench-rollout'
const PER_CLUSTER = 25

function scenario(): { scenario: ScenarioInput; services: string[] } {
  const random = seededRandom(4)
  const services: string[] = []
  const clusters = [PRIMARY, ...REPLICAS.map((r) => r.region)].flatMap((region) =>
    ACCOUNTS.map((account) => {
      const name = `prod-${region}`
      return {
        name,
        region,
        account,
        services: Array.from({ length: PER_CLUSTER }, (_, i) => {
          services.push(`arn:aws:ecs:${region}:${account}:service/${name}/svc-${i + 1}`)
          return { name: `svc-${i + 1}`, deploymentMs: 10_000 + Math.floor(random() * 20_000) }
        })
      }
    })
  )
  return {
    services,
    scenario: {
      name: 'S4',
      roles: [{ arn: ROLE }, { arn: OTHER_ROLE, trustedAccounts: [ACCOUNTS[0]] }],
      secrets: [{ name: 'prod/db', value: 'bench-s4-initial', replicas: REPLICAS }],
      clusters
    }
  }
}

export interface S4Result {
  ok: boolean
  wallSeconds: number
  services: number
  succeeded: number
  calls: Record<string, number>
  /** UpdateService calls in a replica region sent before that region had the new version. */
  earlyStarts: number
  /** Per replica region: seconds from the primary's new version to the replica's, and to the first start there. */
  regions: { region: string; replicaAfterSeconds: number; firstStartAfterSeconds: number }[]
  peakRssMb: number
  detail?: string
}

export async function measureS4(): Promise<S4Result> {
  const { scenario: input, services } = scenario()
  const emu = await startEmulator(input)
  try {
    const rss = peakRssSampler()
    const run = await runAction(
      {
        'role-to-assume': ROLE,
        'aws-region': PRIMARY,
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        services: services.join('\n'),
        'cross-account-roles': OTHER_ROLE,
        'deployment-timeout': '10m'
      },
      {
        AWS_ENDPOINT_URL: emu.url,
        ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidcUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_REQUEST_TOKEN,
        NODE_NO_WARNINGS: '1'
      },
      { timeoutMs: 900_000, onSpawn: (pid) => rss.watch(pid) }
    )
    rss.stop()
    const statuses = JSON.parse(run.outputs.services || '[]') as { status: string }[]
    const succeeded = statuses.filter((s) => s.status === 'succeeded').length
    const version = run.outputs['version-id'] ?? ''
    const primaryAt = emu.secrets.currentInRegionSince('prod/db', PRIMARY, version) ?? Number.NaN
    const updates = emu.calls.filter((c) => c.operation === 'UpdateService' && c.outcome === 'ok')
    let earlyStarts = 0
    const regions = REPLICAS.map(({ region }) => {
      const arrived = emu.secrets.currentInRegionSince('prod/db', region, version) ?? Number.POSITIVE_INFINITY
      const starts = updates.filter((c) => c.region === region).map((c) => c.at)
      earlyStarts += starts.filter((at) => at < arrived).length
      return {
        region,
        replicaAfterSeconds: Math.round((arrived - primaryAt) / 100) / 10,
        firstStartAfterSeconds: Math.round((Math.min(...starts) - primaryAt) / 100) / 10
      }
    })
    const calls: Record<string, number> = {}
    for (const c of emu.calls) calls[c.operation] = (calls[c.operation] ?? 0) + 1
    const ok = run.code === 0 && succeeded === services.length && earlyStarts === 0
    return {
      ok,
      wallSeconds: Math.round(run.durationMs / 100) / 10,
      services: services.length,
      succeeded,
      calls,
      earlyStarts,
      regions,
      peakRssMb: rss.peakMb(),
      detail: ok
        ? undefined
        : run.annotations
            .map((a) => a.message)
            .join(' | ')
            .slice(0, 300)
    }
  } finally {
    await emu.close()
  }
}

export function describeS4(r: S4Result): string {
  const calls = Object.entries(r.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ')
  const regions = r.regions
    .map((g) => `${g.region}: replica +${g.replicaAfterSeconds}s, first start +${g.firstStartAfterSeconds}s`)
    .join('; ')
  return (
    `S4: ${r.ok ? 'ok' : 'NOT ok'}: ${r.succeeded}/${r.services} services succeeded in ${r.wallSeconds}s wall; ` +
    `${r.earlyStarts} starts in a replica region before its replica had the new version (must be 0); ${regions}; ` +
    `calls: ${calls}; peak RSS ${r.peakRssMb} MB${r.detail ? `; ${r.detail}` : ''}`
  )
}
