import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { CASES, type CaseName, type Expected } from '../../__fixtures__/cases.js'
import { leaks, runnerEnv, scenarioWithRole, sensitiveValues, baseInputs } from '../../__fixtures__/e2e.js'
import { runAction } from '../../__fixtures__/runner.js'
import type { FaultRule, ScenarioInput } from '../../emulator/scenario.js'
import { matches } from '../../emulator/faults.js'
import { startEmulator, type CallRecord } from '../../emulator/server.js'

// Every end-to-end case under every fault, on every AWS operation the action uses: the first
// call of each operation and every third one after it are hit, so single calls (PutSecretValue,
// RotateSecret, AssumeRoleWithWebIdentity) meet the fault too. The outcome must equal the
// fault-free one: never a wrong green, never a second secret version.
type Rule = Omit<FaultRule, 'latencyMs'> & { latencyMs?: number }
const hit = (kind: FaultRule['kind'], extra: Partial<Rule> = {}): Rule[] => [
  { operation: '*', kind, first: 1, ...extra },
  { operation: '*', kind, every: 3, ...extra }
]
const FAULTS: Record<string, Rule[]> = {
  'throttling bursts': hit('throttle'),
  '5xx answers': hit('5xx'),
  'dropped before handling': hit('drop'),
  'dropped after handling': hit('drop-after'),
  '2 s latency spikes': hit('latency', { latencyMs: 2000 })
}

// Faults made permanent: the run must fail, truthfully, and say where.
const PERMANENT: { name: string; faultCase: CaseName; rules: Rule[]; expected: Expected; says: string }[] = [
  {
    name: 'every ECS call 5xx',
    faultCase: 'put, 2 clusters x 3 services',
    rules: [{ operation: 'ecs:*', kind: '5xx', every: 1 }],
    expected: { code: 1, result: 'failed', services: Array(6).fill('skipped'), secretChanged: false, writes: false },
    says: 'ServiceUnavailableException'
  },
  {
    name: 'every UpdateService 5xx',
    faultCase: 'put, 2 clusters x 3 services',
    rules: [{ operation: 'UpdateService', kind: '5xx', every: 1 }],
    expected: { code: 1, result: 'failed', services: Array(6).fill('failed'), secretChanged: true, writes: true },
    says: 'UpdateService failed: ServiceUnavailableException'
  },
  {
    name: 'DescribeSecret always throttled',
    faultCase: 'rotate, 3 s rotation',
    rules: [{ operation: 'DescribeSecret', kind: 'throttle', every: 1 }],
    expected: { code: 1, result: 'failed', services: ['skipped'], secretChanged: false, writes: false },
    says: 'ThrottlingException'
  }
]

interface Row {
  scenario: string
  fault: string
  outcome: string
  calls: number
  retries: number
  leaks: number
  ok: boolean
}
const rows: Row[] = []

// The faults the SDK and the action must get over by sending the call again (latency only slows).
const RETRIED: FaultRule['kind'][] = ['throttle', '5xx', 'drop', 'drop-after']

/**
 * What `hit(kind)` should have done to the AWS calls of a run, read from the emulator's records:
 * the calls of an operation that the rules name (its 1st, 3rd, 6th, ...) but that did not meet
 * the fault, and, for a fault that fails the call, the failed calls never sent again. Both lists
 * are empty when the fault was injected where asked and every hit call was retried.
 */
function injection(calls: CallRecord[], kind: FaultRule['kind']) {
  const byOperation = new Map<string, CallRecord[]>()
  for (const call of calls) {
    // The runner's token endpoint takes no faults, and the GitHub API only latency (not recorded).
    if (call.service === 'oidc' || call.service === 'github') continue
    const key = `${call.service}:${call.operation}`
    byOperation.set(key, [...(byOperation.get(key) ?? []), call])
  }
  const missed: string[] = []
  const notRetried: string[] = []
  for (const [key, list] of byOperation) {
    list.forEach((call, i) => {
      const n = i + 1
      if ((n === 1 || n % 3 === 0) && call.fault !== kind) missed.push(`${key} call ${n}: ${call.fault ?? 'no fault'}`)
      if (RETRIED.includes(kind) && call.fault === kind && n === list.length) notRetried.push(`${key} call ${n}`)
    })
  }
  return { operations: byOperation.size, injected: calls.filter((c) => c.fault === kind).length, missed, notRetried }
}

async function runWithFaults(name: CaseName, rules: Rule[]) {
  const c: (typeof CASES)[CaseName] = CASES[name]
  const emu = await startEmulator(scenarioWithRole({ ...c.scenario, faults: rules as FaultRule[] }))
  const secretName = c.scenario.secrets?.[0]?.name
  const versionsBefore = secretName ? emu.secrets.versionCount(secretName) : 0
  try {
    const env = 'runner' in c ? { AWS_ENDPOINT_URL: emu.url } : runnerEnv(emu)
    const run = await runAction({ ...baseInputs, ...c.inputs }, env)
    const services = run.outputs.services ? (JSON.parse(run.outputs.services) as { status: string }[]).map((s) => s.status) : []
    const observed: Expected = {
      code: run.code as 0 | 1,
      result: run.outputs.result as Expected['result'],
      services,
      secretChanged: secretName ? emu.secrets.valueOf(secretName) !== c.scenario.secrets?.[0]?.value : false,
      writes: emu.writes().length > 0
    }
    const newVersions = secretName ? emu.secrets.versionCount(secretName) - versionsBefore : 0
    const retries = emu.calls.filter((call) => call.fault && call.fault !== 'latency').length
    return { run, emu, observed, newVersions, retries }
  } finally {
    await emu.close()
  }
}

describe.each(Object.keys(CASES) as CaseName[])('%s', (name) => {
  it.concurrent.each(Object.keys(FAULTS))(
    'under %s ends as without faults',
    async (fault) => {
      const { run, emu, observed, newVersions, retries } = await runWithFaults(name, FAULTS[fault])
      const given = (CASES[name].inputs as Record<string, string>)['secret-string']
      const hits = leaks(run, sensitiveValues(emu, given ? [given] : []))
      const injected = injection(emu.calls, FAULTS[fault][0].kind)
      const ok =
        JSON.stringify(observed) === JSON.stringify(CASES[name].expected) &&
        newVersions <= 1 &&
        hits.length === 0 &&
        injected.missed.length + injected.notRetried.length === 0
      rows.push({
        scenario: name,
        fault,
        outcome: `${observed.result} (${observed.services.join(',') || 'no services'})`,
        calls: emu.calls.length,
        retries,
        leaks: hits.length,
        ok
      })
      // The fault was met where the rules put it (else "as without faults" proves nothing), and
      // every call it failed was sent again. A runner without an OIDC token stops before any AWS call.
      if ('runner' in CASES[name]) expect(injected.operations).toBe(0)
      else expect(injected.operations).toBeGreaterThan(0)
      expect(injected.injected).toBeGreaterThanOrEqual(injected.operations)
      expect(injected.missed).toEqual([])
      expect(injected.notRetried).toEqual([])
      expect(observed).toEqual(CASES[name].expected)
      expect(newVersions).toBeLessThanOrEqual(1)
      expect(hits).toEqual([])
    },
    120_000
  )
})

describe('faults made permanent', () => {
  it.concurrent.each(PERMANENT.map((p) => [p.name, p] as const))(
    '%s fails truthfully',
    async (_, p) => {
      const { run, emu, observed, retries } = await runWithFaults(p.faultCase, p.rules)
      const hits = leaks(run, sensitiveValues(emu, [(CASES[p.faultCase].inputs as Record<string, string>)['secret-string'] ?? '']))
      rows.push({
        scenario: p.faultCase,
        fault: `PERMANENT: ${p.name}`,
        outcome: `${observed.result} (${observed.services.join(',')})`,
        calls: emu.calls.length,
        retries,
        leaks: hits.length,
        ok: JSON.stringify(observed) === JSON.stringify(p.expected) && hits.length === 0
      })
      // Every call the rule names met its fault, and the SDK sent the first one again.
      const [rule] = p.rules
      const named = emu.calls.filter((c) => matches(rule.operation, c.service, c.operation))
      expect(named.length).toBeGreaterThan(1)
      expect(named.filter((c) => c.fault !== rule.kind)).toEqual([])
      expect(observed).toEqual(p.expected)
      expect(hits).toEqual([])
      expect(
        run.annotations
          .filter((a) => a.level === 'error')
          .map((a) => a.message)
          .join('\n')
      ).toContain(p.says)
    },
    120_000
  )
})

// The process killed (a cancelled job past its grace time, a lost runner) after a write was
// sent and handled, before its answer arrived; then "Re-run failed jobs" runs attempt 2. The
// write must have happened once, and the value the run started from must stay reachable.
const KILLED: { name: string; operation: string; scenario: ScenarioInput; inputs: Record<string, string> }[] = [
  {
    name: 'put',
    operation: 'PutSecretValue',
    scenario: {
      secrets: [{ name: 'prod/db', value: 'pw-known-good' }],
      clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }]
    },
    inputs: { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'pw-next', services: 'prod/api' }
  },
  {
    name: 'rotate',
    operation: 'RotateSecret',
    scenario: {
      secrets: [
        {
          name: 'prod/db',
          value: 'pw-known-good',
          rotation: { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:r', durationMs: 2000 }
        }
      ],
      clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }]
    },
    inputs: { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' }
  },
  {
    name: 'the rollback',
    operation: 'UpdateSecretVersionStage',
    scenario: {
      secrets: [{ name: 'prod/db', value: 'pw-known-good' }],
      clusters: [{ name: 'prod', services: [{ name: 'pdf', deploymentMs: 300, outcome: 'circuit-breaker' }] }]
    },
    inputs: { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'pw-bad', services: 'prod/pdf', 'rollback-on-failure': 'true' }
  }
]

describe('killed after the write was sent, before its answer, then re-run', () => {
  it.concurrent.each(KILLED.map((k) => [k.name, k] as const))(
    '%s: attempt 2 converges and the known-good value stays reachable',
    async (_, k) => {
      const emu = await startEmulator(
        scenarioWithRole({ ...k.scenario, faults: [{ operation: k.operation, kind: 'hang-after', first: 1 }] })
      )
      try {
        const original = emu.secrets.versionsOf('prod/db')[0]
        const held = () => emu.calls.some((c) => c.operation === k.operation && c.outcome === 'handled, no answer')
        const killed = await runAction({ ...baseInputs, ...k.inputs }, runnerEnv(emu), { interrupt: { when: held, signal: 'SIGKILL' } })
        // The fault was injected: the write was handled and its answer never came.
        expect(held()).toBe(true)
        expect(killed.code).toBe(null)
        const writesBefore = emu.count(k.operation)
        const again = await runAction({ ...baseInputs, ...k.inputs }, { ...runnerEnv(emu), GITHUB_RUN_ATTEMPT: '2' })
        const versions = emu.secrets.versionsOf('prod/db')
        const current = versions.find((v) => v.stages.includes('AWSCURRENT'))
        const ok =
          k.name === 'the rollback'
            ? // Attempt 1 had moved AWSCURRENT back; attempt 2 tries again and rolls back to the original again.
              current?.id === original.id && again.outputs['version-id'] === original.id && again.code === 1
            : // No second write; the original is AWSPREVIOUS and the run's previous-version-id.
              emu.count(k.operation) === writesBefore &&
              versions.length === 2 &&
              versions.find((v) => v.stages.includes('AWSPREVIOUS'))?.id === original.id &&
              again.outputs['previous-version-id'] === original.id &&
              again.code === 0
        rows.push({
          scenario: `killed after ${k.operation}`,
          fault: 'SIGKILL before the answer, attempt 2',
          outcome: `${again.outputs.result} (${(JSON.parse(again.outputs.services || '[]') as { status: string }[]).map((x) => x.status).join(',')})`,
          calls: emu.calls.length,
          retries: 0,
          leaks: leaks(again, sensitiveValues(emu, [k.inputs['secret-string'] ?? ''])).length,
          ok
        })
        expect(ok).toBe(true)
        expect(emu.secrets.valueOf('prod/db', k.name === 'the rollback' ? 'AWSCURRENT' : 'AWSPREVIOUS')).toBe('pw-known-good')
      } finally {
        await emu.close()
      }
    },
    120_000
  )
})

afterAll(() => {
  const order = Object.keys(CASES)
  rows.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario) || a.fault.localeCompare(b.fault))
  const widths = [40, 44, 6, 8, 6, 5]
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 4)).join(' ')
  const table = [
    line(['scenario', 'fault', 'calls', 'retries', 'leaks', 'same', 'outcome (services)']),
    ...rows.map((r) => line([r.scenario, r.fault, r.calls, r.retries, r.leaks, r.ok ? 'yes' : 'NO', r.outcome]))
  ].join('\n')
  const leakHits = rows.reduce((n, r) => n + r.leaks, 0)
  const summary = `${rows.filter((r) => r.ok).length} of ${rows.length} runs ended as expected; leak-scan hits: ${leakHits}`
  mkdirSync('reports', { recursive: true })
  writeFileSync('reports/fault-matrix.txt', `${table}\n${summary}\n`)
  process.stdout.write(`\nFault matrix\n${table}\n${summary}\n`)
})
