// `npm run bench`: each scenario with each contender against the local endpoint, in one run so
// the ratios are fair on a noisy machine. Prints a table and writes bench/results.json.
import { spawnSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DIST } from '../__fixtures__/runner.js'
import { startEmulator } from '../emulator/server.js'
import { action, runbook, sdkWaiter, type Contender } from './contenders.js'
import { median } from './measure.js'
import { S1, S2, S2_RATES, type BenchScenario } from './scenarios.js'
import { describeS4, measureS4 } from './s4.js'

const { values } = parseArgs({ options: { only: { type: 'string' }, skip: { type: 'string' } } })
const wanted = (id: string) => (!values.only || values.only.split(',').includes(id)) && !values.skip?.split(',').includes(id)

interface Result {
  scenario: string
  contender: string
  ok: boolean
  wallSeconds: number
  detectionMedianSeconds: number
  lastCompletionToExitSeconds: number
  slowestDeploymentSeconds: number
  lastCompletionSeconds: number
  lastDeploymentStartSeconds: number
  calls: Record<string, number>
  throttled: number
  describeServicesPerRound?: { max: number; expected: number }
  peakRssMb: number
  detail?: string
}

const results: Result[] = []
const round = (ms: number) => Math.round(ms / 100) / 10

async function measure(s: BenchScenario, name: string, contender: Contender): Promise<void> {
  process.stdout.write(`${s.name} / ${name}: running... `)
  const emu = await startEmulator(s.scenario)
  try {
    const run = await contender(emu, s.services)
    const rollouts = emu.ecs.rollouts
    const completions = rollouts.map((r) => r.completedAt ?? Number.NaN)
    const lastCompletion = Math.max(...completions)
    const detections = rollouts.map((r) => (r.firstSeenCompletedAt ?? run.exitedAt) - (r.completedAt ?? run.exitedAt))
    const calls: Record<string, number> = {}
    for (const c of emu.calls) calls[c.operation] = (calls[c.operation] ?? 0) + 1
    const result: Result = {
      scenario: s.name,
      contender: name,
      ok: run.ok,
      wallSeconds: round(run.exitedAt - run.startedAt),
      detectionMedianSeconds: round(median(detections)),
      lastCompletionToExitSeconds: round(run.exitedAt - lastCompletion),
      slowestDeploymentSeconds: round(Math.max(...rollouts.map((r) => (r.completedAt ?? 0) - r.createdAt))),
      lastCompletionSeconds: round(lastCompletion - run.startedAt),
      lastDeploymentStartSeconds: round(Math.max(...rollouts.map((r) => r.createdAt)) - run.startedAt),
      calls,
      throttled: emu.calls.filter((c) => c.outcome === 'ThrottlingException').length,
      peakRssMb: run.peakRssMb,
      detail: run.detail
    }
    if (name.startsWith('a')) result.describeServicesPerRound = pollRounds(emu.calls, s.services)
    results.push(result)
    process.stdout.write(`${result.ok ? 'ok' : 'FAILED'} in ${result.wallSeconds}s\n`)
  } finally {
    await emu.close()
  }
}

/** DescribeServices calls of each poll round after the redeploy (rounds are separated by idle gaps). */
function pollRounds(calls: { operation: string; at: number; outcome: string }[], services: string[]) {
  // Preflight comes before the first UpdateService; every DescribeServices after it is a poll.
  const firstUpdate = Math.min(...calls.filter((c) => c.operation === 'UpdateService').map((c) => c.at))
  const polls = calls.filter((c) => c.operation === 'DescribeServices' && c.at > firstUpdate)
  const rounds: number[] = []
  let previous = -Infinity
  for (const c of polls) {
    if (c.at - previous > 1000) rounds.push(0)
    rounds[rounds.length - 1]++
    previous = c.at
  }
  const perCluster = new Map<string, number>()
  for (const s of services) perCluster.set(s.split('/')[0], (perCluster.get(s.split('/')[0]) ?? 0) + 1)
  const expected = [...perCluster.values()].reduce((n, count) => n + Math.ceil(count / 10), 0)
  return { max: Math.max(0, ...rounds), expected }
}

function coldStart(): { medianMs: number; bundleKb: number } {
  const times: number[] = []
  for (let i = 0; i < 10; i++) {
    const started = process.hrtime.bigint()
    spawnSync(process.execPath, [DIST], { env: { PATH: process.env.PATH, INPUT_MODE: 'bogus', NODE_NO_WARNINGS: '1' }, stdio: 'ignore' })
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  return { medianMs: Math.round(median(times)), bundleKb: Math.round(statSync(DIST).size / 1024) }
}

const contenders: [string, string, Contender][] = [
  ['a', 'a: secret-rollout', action],
  ['b', 'b: runbook (aws cli)', runbook],
  ['c', 'c: sdk waiter per service', sdkWaiter]
]
if (wanted('S1')) for (const [id, name, c] of contenders) if (wanted(id)) await measure(S1, name, c)
// S2 is for this action only: the contenders poll one cluster or service at a time and would take hours.
if (wanted('S2') && wanted('a')) await measure(S2, 'a: secret-rollout', action)
const s3 = wanted('S3') ? coldStart() : undefined
const s4 = wanted('S4') && wanted('a') ? await measureS4() : undefined

const header = [
  'scenario',
  'contender',
  'ok',
  'wall s',
  'detect med s',
  'last->exit s',
  'DescribeSvc',
  'UpdateSvc',
  'other calls',
  'throttled',
  'peak RSS MB'
]
const rows = results.map((r) => {
  const other = Object.entries(r.calls)
    .filter(([op]) => op !== 'DescribeServices' && op !== 'UpdateService')
    .reduce((n, [, v]) => n + v, 0)
  return [
    r.scenario,
    r.contender,
    r.ok ? 'yes' : 'NO',
    r.wallSeconds,
    r.detectionMedianSeconds,
    r.lastCompletionToExitSeconds,
    r.calls.DescribeServices ?? 0,
    r.calls.UpdateService ?? 0,
    other,
    r.throttled,
    r.peakRssMb
  ].map(String)
})
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
console.log(`\n${fmt(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(fmt).join('\n')}`)

const a1 = results.find((r) => r.scenario === 'S1' && r.contender.startsWith('a'))
const b1 = results.find((r) => r.scenario === 'S1' && r.contender.startsWith('b'))
const a2 = results.find((r) => r.scenario === 'S2')
if (a1 && b1)
  console.log(
    `S1: wall (a)/(b) = ${(a1.wallSeconds / b1.wallSeconds).toFixed(2)} (target <= 0.4); (a) median detection ${a1.detectionMedianSeconds}s (target <= 3)`
  )
if (a2) {
  const floor = (S2.services.length - S2_RATES.updateService.burst) / S2_RATES.updateService.perSecond
  console.log(
    `S2: ${a2.ok ? 'all succeeded' : 'NOT all succeeded'}; wall ${a2.wallSeconds}s vs slowest deployment ${a2.slowestDeploymentSeconds}s + 10 ` +
      `(the UpdateService rate alone puts the 500th start at >= ${floor}s; last start at ${a2.lastDeploymentStartSeconds}s, last completion at ${a2.lastCompletionSeconds}s, exit ${a2.lastCompletionToExitSeconds}s later); ` +
      `DescribeServices per poll round at most ${a2.describeServicesPerRound?.max} (sum of ceil(services/10) = ${a2.describeServicesPerRound?.expected}); throttled answers ${a2.throttled}; peak RSS ${a2.peakRssMb} MB (target < 150)`
  )
}
if (s3)
  console.log(
    `S3: cold start with a bad input ${s3.medianMs} ms median of 10 (target < 300); dist/index.js ${s3.bundleKb} KB (target < 3 MB)`
  )

if (s4) console.log(describeS4(s4))

const out = fileURLToPath(new URL('./results.json', import.meta.url))
writeFileSync(out, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results, s3, s4 })}\n`)
console.log(`Results: ${out}`)
