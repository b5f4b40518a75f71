import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pLimit from 'p-limit'
import { runnerEnv } from '../__fixtures__/e2e.js'
import { runAction } from '../__fixtures__/runner.js'
import type { Emulator } from '../emulator/server.js'
import { peakRssSampler } from './measure.js'
import { ROLE, STATIC_KEYS } from './scenarios.js'

export interface ContenderRun {
  ok: boolean
  startedAt: number
  exitedAt: number
  peakRssMb: number
  detail?: string
}

export type Contender = (emu: Emulator, services: string[]) => Promise<ContenderRun>

const staticEnv = (emu: Emulator) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: STATIC_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: STATIC_KEYS.secretAccessKey,
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: emu.url,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: ''
})

/** (a) This action's bundle, as a runner runs it: OIDC role, mode redeploy, all services. */
export const action: Contender = async (emu, services) => {
  const rss = peakRssSampler()
  const startedAt = Date.now()
  const run = await runAction(
    { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1', mode: 'redeploy', services: services.join('\n'), 'deployment-timeout': '10m' },
    { ...runnerEnv(emu), NODE_NO_WARNINGS: '1' },
    { timeoutMs: 900_000, onSpawn: (pid) => rss.watch(pid) }
  )
  const exitedAt = startedAt + run.durationMs
  rss.stop()
  const statuses = JSON.parse(run.outputs.services || '[]') as { status: string }[]
  const ok = run.code === 0 && statuses.length === services.length && statuses.every((s) => s.status === 'succeeded')
  return {
    ok,
    startedAt,
    exitedAt,
    peakRssMb: rss.peakMb(),
    detail: ok
      ? undefined
      : run.annotations
          .map((a) => a.message)
          .join(' | ')
          .slice(0, 300)
  }
}

function exec(command: string, args: string[], env: Record<string, string>, rss: ReturnType<typeof peakRssSampler>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    if (child.pid) rss.watch(child.pid)
    child.on('close', (code) => resolve(code ?? 1))
  })
}

/**
 * (b) The team runbook with Debian's AWS CLI, cluster by cluster as a shell loop runs it:
 * update-service --force-new-deployment for each service, then ecs wait services-stable.
 */
export const runbook: Contender = async (emu, services) => {
  const rss = peakRssSampler()
  const env = staticEnv(emu)
  const endpoint = ['--endpoint-url', emu.url]
  const byCluster = new Map<string, string[]>()
  for (const line of services) {
    const [cluster, service] = line.split('/')
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), service])
  }
  const startedAt = Date.now()
  let ok = true
  for (const [cluster, names] of byCluster) {
    for (const service of names) {
      const code = await exec(
        '/usr/bin/aws',
        ['ecs', 'update-service', '--cluster', cluster, '--service', service, '--force-new-deployment', ...endpoint],
        env,
        rss
      )
      ok &&= code === 0
    }
    for (let i = 0; i < names.length; i += 10) {
      const code = await exec(
        '/usr/bin/aws',
        ['ecs', 'wait', 'services-stable', '--cluster', cluster, '--services', ...names.slice(i, i + 10), ...endpoint],
        env,
        rss
      )
      ok &&= code === 0
    }
  }
  const exitedAt = Date.now()
  rss.stop()
  return { ok, startedAt, exitedAt, peakRssMb: rss.peakMb() }
}

/** Processes of the AWS CLI started at once, at most: each is a Python interpreter of about 60 MB. */
const CLI_PROCESSES = 50

/**
 * (d) The runbook done well: every `aws ecs update-service --force-new-deployment` at once (at
 * most 50 CLI processes at a time), with the CLI's standard retry mode and 10 attempts so
 * throttled writes are retried; then `aws ecs wait services-stable` for every cluster and 10
 * services, all in parallel (each polls every 15 s).
 */
export const runbookDoneWell: Contender = async (emu, services) => {
  const rss = peakRssSampler()
  const env = { ...staticEnv(emu), AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '10' }
  const endpoint = ['--endpoint-url', emu.url]
  const byCluster = new Map<string, string[]>()
  for (const line of services) {
    const [cluster, service] = line.split('/')
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), service])
  }
  const startedAt = Date.now()
  const updates = services.map((line) => () => {
    const [cluster, service] = line.split('/')
    return exec(
      '/usr/bin/aws',
      ['ecs', 'update-service', '--cluster', cluster, '--service', service, '--force-new-deployment', ...endpoint],
      env,
      rss
    )
  })
  const waits = [...byCluster].flatMap(([cluster, names]) =>
    Array.from(
      { length: Math.ceil(names.length / 10) },
      (_, i) => () =>
        exec(
          '/usr/bin/aws',
          ['ecs', 'wait', 'services-stable', '--cluster', cluster, '--services', ...names.slice(i * 10, i * 10 + 10), ...endpoint],
          env,
          rss
        )
    )
  )
  const slot = pLimit(CLI_PROCESSES)
  const codes = await Promise.all(updates.map((u) => slot(u)))
  codes.push(...(await Promise.all(waits.map((w) => slot(w)))))
  const exitedAt = Date.now()
  rss.stop()
  const failed = codes.filter((c) => c !== 0).length
  return { ok: failed === 0, startedAt, exitedAt, peakRssMb: rss.peakMb(), detail: failed ? `${failed} CLI commands failed` : undefined }
}

/** (c) UpdateService then the SDK's waitUntilServicesStable, one service at a time. */
export const sdkWaiter: Contender = async (emu, services) => {
  const rss = peakRssSampler()
  const script = fileURLToPath(new URL('./sdk-waiter.ts', import.meta.url))
  const startedAt = Date.now()
  const code = await exec(
    process.execPath,
    ['--import', 'tsx', script],
    { ...staticEnv(emu), SERVICES: services.join('\n'), NODE_NO_WARNINGS: '1' },
    rss
  )
  const exitedAt = Date.now()
  rss.stop()
  return { ok: code === 0, startedAt, exitedAt, peakRssMb: rss.peakMb() }
}
