// `npm run bench`: each scenario with each contender against the local endpoint, in one run so
// the ratios are fair on a noisy machine. Prints a table and writes bench/results.json.
// `-- --skip c` leaves out contender (c) (12 minutes on its own); `--only S2,a` runs a subset,
// and results.json keeps the earlier figures (each with its date) of what this run left out.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DIST } from '../__fixtures__/runner.js'
import type { CallRecord } from '../emulator/server.js'
import { startEmulator } from '../emulator/server.js'
import { action, runbook, runbookDoneWell, sdkWaiter, type Contender } from './contenders.js'
import { lowerBoundSeconds, peakInWindow } from './lower-bound.js'
import { median } from './measure.js'
import { ECS_BUCKETS, READ_BUCKETS, S1, S2, S5, type BenchScenario, type BucketName } from './scenarios.js'
import { describeS4, measureS4 } from './s4.js'

const { values } = parseArgs({ options: { only: { type: 'string' }, skip: { type: 'string' } } })
const wanted = (id: string) => (!values.only || values.only.split(',').includes(id)) && !values.skip?.split(',').includes(id)

interface Result {
  scenario: string
  contender: string
  ok: boolean
  wallSeconds: number
  boundSeconds: number
  detectionMedianSeconds: number
  lastCompletionToExitSeconds: number
  lastDeploymentStartSeconds: number
  calls: Record<string, number>
  /** The most reads in any 10 s window, per ECS read bucket (the busiest region). */
  peakReadsPer10s: Partial<Record<BucketName, number>>
  throttled: number
  peakRssMb: number
  detail?: string
  /** When it was measured: results.json may hold figures of several runs (see the end). */
  date?: string
}

const results: Result[] = []
const round1 = (ms: number) => Math.round(ms / 100) / 10
const WINDOW_MS = 10_000

async function measure(s: BenchScenario, name: string, contender: Contender): Promise<void> {
  process.stdout.write(`${s.name} / ${name}: running... `)
  const emu = await startEmulator(s.scenario)
  try {
    const run = await contender(emu, s.services)
    const rollouts = emu.ecs.rollouts
    const lastCompletion = Math.max(...rollouts.map((r) => r.completedAt ?? Number.NaN))
    const detections = rollouts.map((r) => (r.firstSeenCompletedAt ?? run.exitedAt) - (r.completedAt ?? run.exitedAt))
    const calls: Record<string, number> = {}
    for (const c of emu.calls) calls[c.operation] = (calls[c.operation] ?? 0) + 1
    const byRegion = new Map<string, number[]>()
    for (const d of s.deployments) byRegion.set(d.region, [...(byRegion.get(d.region) ?? []), d.ms])
    const result: Result = {
      scenario: s.name,
      contender: name,
      ok: run.ok,
      wallSeconds: round1(run.exitedAt - run.startedAt),
      boundSeconds: round1(lowerBoundSeconds(byRegion, ECS_BUCKETS['service writes']) * 1000),
      detectionMedianSeconds: round1(median(detections)),
      lastCompletionToExitSeconds: round1(run.exitedAt - lastCompletion),
      lastDeploymentStartSeconds: round1(Math.max(...rollouts.map((r) => r.createdAt)) - run.startedAt),
      calls,
      peakReadsPer10s: peakReads(emu.calls),
      throttled: emu.calls.filter((c) => c.outcome === 'ThrottlingException').length,
      peakRssMb: run.peakRssMb,
      detail: run.detail
    }
    results.push(result)
    process.stdout.write(`${result.ok ? 'ok' : 'FAILED'} in ${result.wallSeconds}s\n`)
  } finally {
    await emu.close()
  }
}

/** Per read bucket, the most calls (throttled ones too: they reached ECS) in any 10 s window of one region. */
function peakReads(calls: CallRecord[]): Partial<Record<BucketName, number>> {
  const peaks: Partial<Record<BucketName, number>> = {}
  for (const bucket of READ_BUCKETS) {
    const operations: readonly string[] = ECS_BUCKETS[bucket].operations
    const byRegion = new Map<string, number[]>()
    for (const c of calls) {
      if (c.service !== 'ecs' || !operations.includes(c.operation)) continue
      byRegion.set(c.region ?? '', [...(byRegion.get(c.region ?? '') ?? []), c.at])
    }
    peaks[bucket] = Math.max(0, ...[...byRegion.values()].map((times) => peakInWindow(times, WINDOW_MS)))
  }
  return peaks
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

const contenders: Record<string, [string, Contender]> = {
  a: ['(a) this action', action],
  b: ['(b) runbook: AWS CLI, cluster by cluster', runbook],
  c: ['(c) SDK waitUntilServicesStable, one service at a time', sdkWaiter],
  d: ['(d) runbook done well: every update-service at once, then services-stable per 10, in parallel', runbookDoneWell]
}
// (b) and (c) poll one cluster or one service at a time: in S2 they would take hours. S5 is for this action only.
const plan: [BenchScenario, string[]][] = [
  [S1, ['a', 'b', 'c', 'd']],
  [S2, ['a', 'd']],
  [S5, ['a']]
]
const started = new Date()
for (const [scenario, ids] of plan) {
  if (!wanted(scenario.name)) continue
  for (const id of ids) if (wanted(id)) await measure(scenario, contenders[id][0], contenders[id][1])
}
const s3 = wanted('S3') ? coldStart() : undefined
const s4 = wanted('S4') && wanted('a') ? await measureS4() : undefined

const proofCalls = (r: Result) => (r.calls.ListTasks ?? 0) + (r.calls.DescribeTasks ?? 0)
const header = [
  'scenario',
  'contender',
  'all ok',
  'wall s',
  'lower bound s',
  'wall / bound',
  'detection median s',
  'last→exit s',
  'DescribeServices',
  'UpdateService',
  'ListTasks + DescribeTasks',
  'peak service reads / 10 s',
  'peak cluster-resource reads / 10 s',
  'throttled',
  'peak RSS MB'
]
const rows = results.map((r) =>
  [
    r.scenario,
    r.contender,
    r.ok ? 'yes' : 'NO',
    r.wallSeconds,
    r.boundSeconds,
    (r.wallSeconds / r.boundSeconds).toFixed(2),
    r.detectionMedianSeconds,
    r.lastCompletionToExitSeconds,
    r.calls.DescribeServices ?? 0,
    r.calls.UpdateService ?? 0,
    proofCalls(r),
    r.peakReadsPer10s['service reads'] ?? 0,
    r.peakReadsPer10s['cluster-resource reads'] ?? 0,
    r.throttled,
    r.peakRssMb
  ].map(String)
)
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`
console.log(`\nMachine: ${machine}; started ${started.toISOString()}\n`)
console.log([header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'))

const find = (scenario: string, id: string) => results.find((r) => r.scenario === scenario && r.contender.startsWith(`(${id})`))
const ratio = (a?: Result, b?: Result) => (a && b ? (a.wallSeconds / b.wallSeconds).toFixed(2) : 'n/a')
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
const lines: string[] = []
const a1 = find('S1', 'a')
if (a1) {
  const b1 = find('S1', 'b')
  lines.push(
    `S1: wall/bound ${(a1.wallSeconds / a1.boundSeconds).toFixed(3)} (target <= 1.05: ${verdict(a1.wallSeconds <= 1.05 * a1.boundSeconds)}); ` +
      `(a)/(b) ${ratio(a1, b1)} (target <= 0.2: ${b1 ? verdict(a1.wallSeconds <= 0.2 * b1.wallSeconds) : 'not run'}); (a)/(c) ${ratio(a1, find('S1', 'c'))}; ` +
      `(a)/(d) ${ratio(a1, find('S1', 'd'))}; detection median ${a1.detectionMedianSeconds}s (target <= 1: ${verdict(a1.detectionMedianSeconds <= 1)})`
  )
}
const a2 = find('S2', 'a')
if (a2) {
  const share = 0.5
  const limits = READ_BUCKETS.map((b) => [b, ECS_BUCKETS[b].perSecond * share * (WINDOW_MS / 1000)] as const)
  const over = limits.filter(([b, limit]) => (a2.peakReadsPer10s[b] ?? 0) > limit)
  lines.push(
    `S2: ${a2.ok ? 'all succeeded' : 'NOT all succeeded'}; wall/bound ${(a2.wallSeconds / a2.boundSeconds).toFixed(3)} (target <= 1.05: ${verdict(a2.wallSeconds <= 1.05 * a2.boundSeconds)}); ` +
      `(a)/(d) ${ratio(a2, find('S2', 'd'))}; last start at ${a2.lastDeploymentStartSeconds}s; ` +
      `peak reads per 10 s ${limits.map(([b, limit]) => `${b} ${a2.peakReadsPer10s[b]} of ${limit}`).join(', ')} (target: none above 50% of refill: ${verdict(over.length === 0)}); ` +
      `throttled answers ${a2.throttled}; detection median ${a2.detectionMedianSeconds}s (target <= 5: ${verdict(a2.detectionMedianSeconds <= 5)}); ` +
      `proof calls ${proofCalls(a2)} (target <= 200, a fifth of 2 per service: ${verdict(proofCalls(a2) <= 200)})`
  )
}
const a5 = find('S5', 'a')
if (a5)
  lines.push(
    `S5: ${a5.ok ? 'all succeeded' : `NOT all succeeded (${a5.detail ?? ''})`}; wall ${a5.wallSeconds}s, bound ${a5.boundSeconds}s; peak RSS ${a5.peakRssMb} MB (target < 200: ${verdict(a5.ok && a5.peakRssMb < 200)})`
  )
if (s3)
  lines.push(
    `S3: cold start with a bad input ${s3.medianMs} ms median of 10 (target < 150: ${verdict(s3.medianMs < 150)}); dist/index.js ${s3.bundleKb} KB (target < 3 MB: ${verdict(s3.bundleKb < 3072)})`
  )
console.log(`\n${lines.join('\n')}`)
for (const r of results) if (r.detail) console.log(`${r.scenario} ${r.contender}: ${r.detail}`)

if (s4) console.log(describeS4(s4))

const out = fileURLToPath(new URL('./results.json', import.meta.url))
writeFileSync(out, `${JSON.stringify(mergedWithEarlier(out))}\n`)
console.log(`Results: ${out}`)

interface Saved {
  machine: string
  date: string
  results: Result[]
  s3?: { medianMs: number; bundleKb: number; date?: string }
  s4?: unknown
  verdicts: string[]
}

/**
 * This run's figures, and the earlier ones of what it did not measure: a run of one scenario
 * (`--only S6`) must not drop the figures of the others. Each result keeps the date it was measured.
 */
function mergedWithEarlier(path: string): Saved {
  const date = started.toISOString()
  const earlier: Saved | undefined = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Saved) : undefined
  const measured = results.map((r) => ({ ...r, date }))
  const remeasured = (r: Result) => measured.some((m) => m.scenario === r.scenario && m.contender === r.contender)
  const scenarioOf = (verdict: string) => verdict.slice(0, verdict.indexOf(':'))
  const kept = (earlier?.results ?? []).filter((r) => !remeasured(r)).map((r) => ({ ...r, date: r.date ?? earlier?.date }))
  return {
    machine,
    date,
    results: [...kept, ...measured].sort((x, y) => x.scenario.localeCompare(y.scenario) || x.contender.localeCompare(y.contender)),
    s3: s3 ? { ...s3, date } : earlier?.s3 && { ...earlier.s3, date: earlier.s3.date ?? earlier.date },
    s4: s4 ?? earlier?.s4,
    verdicts: [...(earlier?.verdicts ?? []).filter((v) => !lines.some((l) => scenarioOf(l) === scenarioOf(v))), ...lines].sort()
  }
}
