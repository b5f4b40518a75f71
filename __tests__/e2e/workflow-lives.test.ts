import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { baseInputs, errors, leaks, runnerEnv, scenarioWithRole, sensitiveValues } from '../../__fixtures__/e2e.js'
import { runAction, type ActionRun, type RunControl } from '../../__fixtures__/runner.js'
import type { ScenarioInput } from '../../emulator/scenario.js'
import { startEmulator, type Emulator } from '../../emulator/server.js'

// The action in a workflow's real life: several steps and jobs of one run writing one secret,
// re-runs after a kill, two runs at once, cancellation at each stage. Each case reads back what
// the endpoint holds, not only what the action says.

const ROTATION = { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate', durationMs: 1500 }

async function withEmulator(scenario: ScenarioInput, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator(scenarioWithRole(scenario))
  try {
    await body(emu)
  } finally {
    await emu.close()
  }
}

const run = (emu: Emulator, inputs: Record<string, string>, env: Record<string, string> = {}, control?: RunControl) =>
  runAction({ ...baseInputs, ...inputs }, { ...runnerEnv(emu), ...env }, control)

const labelled = (emu: Emulator, name: string, label: string) =>
  Object.entries(emu.secrets.stagesOf(name)).find(([, labels]) => labels.includes(label))?.[0]

/** Kills the process (as a runner does after a cancel, or a lost machine) once the endpoint has handled `operation`. */
const killAfter = (emu: Emulator, operation: string): RunControl => ({
  interrupt: { when: () => emu.calls.some((c) => c.operation === operation && c.outcome === 'handled, no answer'), signal: 'SIGKILL' }
})
const hangAfterFirst = (operation: string) => [{ operation, kind: 'hang-after' as const, first: 1 }]

const written = (a: ActionRun) => a.outputs['version-id']

describe('several steps and jobs of one run write one secret', () => {
  it('two steps of one job put two keys of one JSON secret: each writes its own version, and both keys end up set', async () => {
    const original = '{"user":"app","a":"old-a","b":"old-b","id":12345678901234567890}'
    await withEmulator({ secrets: [{ name: 'prod/cfg', value: original }] }, async (emu) => {
      const inputs = { mode: 'put', 'secret-id': 'prod/cfg' }
      const first = await run(emu, { ...inputs, 'json-key': 'a', 'secret-string': 'new-a-value' })
      const second = await run(
        emu,
        { ...inputs, 'json-key': 'b', 'secret-string': 'new-b-value' },
        { GITHUB_ACTION: '__acme_secret-rollout_2' }
      )
      expect([first.code, second.code]).toEqual([0, 0])
      expect(emu.count('PutSecretValue')).toBe(2)
      expect(written(first)).not.toBe(written(second))
      expect(second.outputs['previous-version-id']).toBe(written(first))
      expect(labelled(emu, 'prod/cfg', 'AWSPREVIOUS')).toBe(written(first))
      // Other keys byte for byte, the big number included.
      expect(emu.secrets.valueOf('prod/cfg')).toBe('{"user":"app","a":"new-a-value","b":"new-b-value","id":12345678901234567890}')
      expect(second.stdout).not.toContain('not writing it again')
    })
  }, 60_000)

  it('two matrix legs of one run (same job and step ids) putting the same secret each write their own version', async () => {
    await withEmulator({ secrets: [{ name: 'prod/db', value: 'pw-original' }] }, async (emu) => {
      const inputs = { mode: 'put', 'secret-id': 'prod/db' }
      const legA = await run(emu, { ...inputs, 'secret-string': 'pw-from-leg-a' })
      const legB = await run(emu, { ...inputs, 'secret-string': 'pw-from-leg-b' })
      expect([legA.code, legB.code]).toEqual([0, 0])
      expect([legA.outputs.result, legB.outputs.result]).toEqual(['succeeded', 'succeeded'])
      expect(emu.secrets.versionsOf('prod/db').map((v) => v.value)).toEqual(['pw-original', 'pw-from-leg-a', 'pw-from-leg-b'])
      expect(labelled(emu, 'prod/db', 'AWSCURRENT')).toBe(written(legB))
      expect(labelled(emu, 'prod/db', 'AWSPREVIOUS')).toBe(written(legA))
      expect(leaks(legB, sensitiveValues(emu, ['pw-from-leg-a', 'pw-from-leg-b']))).toEqual([])
    })
  }, 60_000)
})

describe('re-runs after a kill converge and keep the known-good value', () => {
  it('put: attempt 2 after attempt 1 was killed before PutSecretValue answered writes nothing again and redeploys', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-known-good' }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 500 }] }],
        faults: hangAfterFirst('PutSecretValue')
      },
      async (emu) => {
        const original = labelled(emu, 'prod/db', 'AWSCURRENT')
        const inputs = { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'pw-new', services: 'prod/api' }
        const killed = await run(emu, inputs, {}, killAfter(emu, 'PutSecretValue'))
        expect(killed.code).toBe(null)
        const made = labelled(emu, 'prod/db', 'AWSCURRENT')
        expect(made).not.toBe(original)

        const again = await run(emu, inputs, { GITHUB_RUN_ATTEMPT: '2' })
        expect(again.code).toBe(0)
        expect(emu.count('PutSecretValue')).toBe(1)
        expect(again.stdout).toContain(`Version ${made} was written by attempt 1 of this run and step; not writing it again.`)
        expect(again.outputs['version-id']).toBe(made)
        expect(again.outputs['previous-version-id']).toBe(original)
        // The original value keeps its label: nothing known-good was lost.
        expect(labelled(emu, 'prod/db', 'AWSPREVIOUS')).toBe(original)
        expect(emu.secrets.valueOf('prod/db', 'AWSPREVIOUS')).toBe('pw-known-good')
        expect(emu.count('UpdateService')).toBe(1)
        expect(again.summary).toContain('(written by attempt 1 of this run)')
      }
    )
  }, 60_000)

  it('put with rollback: a re-run whose deployment fails rolls back to the value before attempt 1, never to its own', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-known-good' }],
        clusters: [{ name: 'prod', services: [{ name: 'pdf', deploymentMs: 500, outcome: 'circuit-breaker' }] }],
        faults: hangAfterFirst('PutSecretValue')
      },
      async (emu) => {
        const original = labelled(emu, 'prod/db', 'AWSCURRENT')
        // A generated value: attempt 2 cannot compare values, and converges on what attempt 1 wrote.
        const inputs = {
          mode: 'put',
          'secret-id': 'prod/db',
          'generate-password': 'true',
          services: 'prod/pdf',
          'rollback-on-failure': 'true'
        }
        await run(emu, inputs, {}, killAfter(emu, 'PutSecretValue'))
        const again = await run(emu, inputs, { GITHUB_RUN_ATTEMPT: '2' })
        expect(again.code).toBe(1)
        expect(emu.count('PutSecretValue')).toBe(1)
        expect(labelled(emu, 'prod/db', 'AWSCURRENT')).toBe(original)
        expect(emu.secrets.valueOf('prod/db')).toBe('pw-known-good')
        expect(again.outputs['version-id']).toBe(original)
        expect(again.summary).toContain(`to \`${original}\``)
      }
    )
  }, 60_000)

  it('rotate: attempt 2 after attempt 1 was killed before RotateSecret answered waits for that rotation, starting none', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-rotating', rotation: { ...ROTATION, durationMs: 3000 } }],
        faults: hangAfterFirst('RotateSecret')
      },
      async (emu) => {
        const original = labelled(emu, 'prod/db', 'AWSCURRENT')
        const inputs = { mode: 'rotate', 'secret-id': 'prod/db' }
        await run(emu, inputs, {}, killAfter(emu, 'RotateSecret'))
        const pending = labelled(emu, 'prod/db', 'AWSPENDING')
        expect(pending).toBeDefined()
        const again = await run(emu, inputs, { GITHUB_RUN_ATTEMPT: '2' })
        expect(again.code).toBe(0)
        expect(emu.count('RotateSecret')).toBe(1)
        expect(again.outputs['version-id']).toBe(pending)
        expect(again.outputs['previous-version-id']).toBe(original)
        expect(emu.secrets.versionCount('prod/db')).toBe(2)
      }
    )
  }, 60_000)
})

describe('two runs at once', () => {
  it('two runs putting different json-keys: the one whose merge was overtaken fails, names both versions, and redeploys nothing', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/cfg', value: '{"a":"old-a","b":"old-b","port":5432}' }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }],
        // Run A's put is held 4 s before it is handled: run B merges and puts in the meantime.
        faults: [{ operation: 'PutSecretValue', kind: 'latency', first: 1, latencyMs: 4000 }]
      },
      async (emu) => {
        const base = labelled(emu, 'prod/cfg', 'AWSCURRENT')
        const runA = run(emu, { mode: 'put', 'secret-id': 'prod/cfg', 'json-key': 'a', 'secret-string': 'new-a', services: 'prod/api' })
        while (!emu.calls.some((c) => c.operation === 'PutSecretValue' && c.fault === 'latency'))
          await new Promise((r) => setTimeout(r, 20))
        const b = await run(
          emu,
          { mode: 'put', 'secret-id': 'prod/cfg', 'json-key': 'b', 'secret-string': 'new-b' },
          { GITHUB_RUN_ID: '2002' }
        )
        const a = await runA
        expect(b.code).toBe(0)
        expect(a.code).toBe(1)
        const versionA = labelled(emu, 'prod/cfg', 'AWSCURRENT') as string
        expect(labelled(emu, 'prod/cfg', 'AWSPREVIOUS')).toBe(written(b))
        const message = errors(a).find((e) => e.title === 'secret prod/cfg')?.message ?? ''
        expect(message).toContain(`this run merged into version ${base}, but version ${written(b)} was made AWSCURRENT in between`)
        expect(message).toContain(`AWSCURRENT is ${versionA}, this run's version, which holds keys "a", "b", "port" and lacks that change`)
        expect(message).toContain(`(keys that differ from ${written(b)}: "b")`)
        expect(message).not.toContain('new-b')
        expect(emu.count('UpdateService')).toBe(0)
        expect(a.outputs.result).toBe('failed')
      }
    )
  }, 60_000)
})

describe('cancellation stops writing and says what was written', () => {
  it('cancelled during the pre-check while the GitHub API is slow: no write is sent, and the report says so', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-precheck' }],
        clusters: [{ name: 'prod', services: [{ name: 'api' }] }],
        faults: [
          { operation: 'DescribeSecret', kind: 'latency', first: 1, latencyMs: 1500 },
          { operation: 'github:*', kind: 'latency', every: 1, latencyMs: 1500 }
        ],
        github: { token: 'ghs_job_token', issues: [], labels: [] }
      },
      async (emu) => {
        const cancelled = await run(
          emu,
          {
            mode: 'put',
            'secret-id': 'prod/db',
            'generate-password': 'true',
            services: 'prod/api',
            'failure-issue': 'true',
            'github-token': 'ghs_job_token'
          },
          { GITHUB_API_URL: emu.githubApiUrl },
          { interrupt: { when: 'Assumed role', signal: 'SIGINT' } }
        )
        // The pipeline had time to go on while the issue was written; it sent nothing.
        await new Promise((r) => setTimeout(r, 1500))
        expect(cancelled.code).toBe(1)
        expect(emu.writes()).toEqual([])
        expect(errors(cancelled)[0]).toEqual({
          level: 'error',
          title: 'Cancelled',
          message: 'The run was cancelled during "Secret pre-check". Nothing had been written.'
        })
        expect(cancelled.exitAfterSignalMs).toBeLessThan(7500)
      }
    )
  }, 60_000)

  it('cancelled during the rollback after AWSCURRENT was moved back: says it was moved back, not that the new value is current', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-good' }],
        clusters: [{ name: 'prod', services: [{ name: 'pdf', deploymentMs: 400, outcome: 'circuit-breaker' }] }]
      },
      async (emu) => {
        const original = labelled(emu, 'prod/db', 'AWSCURRENT')
        // The second UpdateService is the redeploy with the old value: AWSCURRENT was moved back before it.
        const cancelled = await run(
          emu,
          { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'pw-bad', services: 'prod/pdf', 'rollback-on-failure': 'true' },
          {},
          { interrupt: { when: () => emu.count('UpdateService') >= 2, signal: 'SIGTERM' } }
        )
        expect(cancelled.code).toBe(1)
        expect(labelled(emu, 'prod/db', 'AWSCURRENT')).toBe(original)
        const message = errors(cancelled).find((e) => e.title === 'Cancelled')?.message ?? ''
        expect(message).toContain(`then AWSCURRENT was moved back to ${original}, which is AWSCURRENT now.`)
        expect(message).not.toMatch(/of prod\/db is AWSCURRENT/)
        expect(cancelled.outputs['version-id']).toBe(original)
      }
    )
  }, 60_000)

  it('cancelled in mode redeploy after UpdateService was sent: never "Nothing had been written"', async () => {
    await withEmulator(
      {
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'api', deploymentMs: 30_000 },
              { name: 'web', deploymentMs: 30_000 }
            ]
          }
        ]
      },
      async (emu) => {
        const cancelled = await run(
          emu,
          { mode: 'redeploy', services: 'prod/api\nprod/web' },
          {},
          { interrupt: { when: () => emu.count('UpdateService') >= 1, signal: 'SIGTERM' } }
        )
        expect(cancelled.code).toBe(1)
        const message = errors(cancelled).find((e) => e.title === 'Cancelled')?.message ?? ''
        expect(message).not.toContain('Nothing had been written')
        const started = Number(/(\d+) deployments were started/.exec(message)?.[1] ?? 0)
        const unanswered = Number(/(\d+) more redeploy calls were sent but not answered/.exec(message)?.[1] ?? 0)
        expect(started + unanswered).toBe(emu.count('UpdateService'))
      }
    )
  }, 60_000)
})

describe('one service, one secret, one process', () => {
  it('without a role, a service named by cluster/name and by its ARN is refused as listed twice before any write', async () => {
    const keys = { accessKeyId: 'AKIAEMULATORSTATIC01', secretAccessKey: 'static-secret-key-for-tests' }
    await withEmulator(
      {
        staticCredentials: [keys],
        secrets: [{ name: 'prod/db', value: 'pw-dup' }],
        clusters: [{ name: 'prod', services: [{ name: 'api' }] }]
      },
      async (emu) => {
        const refused = await runAction(
          {
            'aws-region': 'eu-west-1',
            mode: 'put',
            'secret-id': 'prod/db',
            'secret-string': 'pw-new-dup',
            services: 'prod/api\narn:aws:ecs:eu-west-1:123456789012:service/prod/api'
          },
          { AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }
        )
        expect(refused.code).toBe(1)
        expect(emu.writes()).toEqual([])
        expect(errors(refused)).toEqual([
          {
            level: 'error',
            title: 'Invalid input',
            message: 'Invalid input: `services`: line 2: prod/api in account 123456789012 is already listed on line 1'
          }
        ])
      }
    )
  }, 60_000)

  it('a replica region no listed service uses does not keep the step running after the report', async () => {
    await withEmulator(
      {
        secrets: [{ name: 'prod/db', value: 'pw-replica', replicas: [{ region: 'us-east-1', lagMs: 120_000 }] }],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }]
      },
      async (emu) => {
        const done = await run(emu, { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api' })
        expect(done.code).toBe(0)
        expect(done.durationMs).toBeLessThan(20_000)
        expect(emu.count('UpdateService')).toBe(1)
      }
    )
  }, 60_000)
})

describe('values over Secrets Manager limit are refused before any AWS call', () => {
  const big = 'é'.repeat(32_769) // 32,769 characters, 65,538 bytes of UTF-8

  const file = join(mkdtempSync(join(tmpdir(), 'big-secret-')), 'value.txt')
  writeFileSync(file, 'x'.repeat(65_537))

  it.each([
    ['secret-string', big, 65_538],
    ['secret-file', file, 65_537]
  ])(
    'a %s value over 65,536 bytes (counted in UTF-8, not characters)',
    async (input, given, bytes) => {
      await withEmulator({ secrets: [{ name: 'prod/db', value: 'pw-small' }] }, async (emu) => {
        const refused = await run(emu, { mode: 'put', 'secret-id': 'prod/db', [input]: String(given) })
        expect(refused.code).toBe(1)
        expect(emu.calls).toEqual([])
        expect(errors(refused)[0].message).toBe(
          `Invalid input: \`${input}\`: the value is ${bytes} bytes, above Secrets Manager's limit of 65536 bytes (UTF-8) for a secret value`
        )
      })
    },
    60_000
  )

  it('a merged JSON value over the limit, before any write', async () => {
    const current = JSON.stringify({ blob: 'x'.repeat(62_000), password: 'old' })
    await withEmulator({ secrets: [{ name: 'prod/cfg', value: current }] }, async (emu) => {
      const refused = await run(emu, {
        mode: 'put',
        'secret-id': 'prod/cfg',
        'json-key': 'token',
        'generate-password': 'true',
        'password-length': '4096'
      })
      expect(refused.code).toBe(1)
      expect(emu.writes()).toEqual([])
      expect(errors(refused)[0].message).toMatch(
        /^`json-key`: the merged value would be 66\d\d\d bytes, above Secrets Manager's limit of 65536 bytes; nothing was changed$/
      )
    })
  }, 60_000)
})
