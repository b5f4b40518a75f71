import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** `::error`/`::warning`/`::notice` commands, decoded. */
  annotations: { level: string; title?: string; message: string }[]
  masked: string[]
  durationMs: number
  /** With `interrupt`: ms from the signal to the process's exit. */
  exitAfterSignalMs?: number
}

export interface RunControl {
  timeoutMs?: number
  /**
   * Send a signal (as a cancelled workflow does, or SIGKILL as when the runner kills the job)
   * once stdout contains this text, or once the condition holds (looked at every 20 ms).
   */
  interrupt?: { when: string | (() => boolean); signal: NodeJS.Signals }
  /** Told the child's pid as soon as it starts (the benchmark samples its memory). */
  onSpawn?: (pid: number) => void
}

/**
 * Runs the bundled action as a GitHub runner does: inputs as INPUT_<NAME> (upper case, hyphens
 * kept), the runner's files and variables, and nothing of this process's AWS settings.
 */
export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  control: RunControl = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'secret-rollout-run-'))
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_STATE: join(dir, 'state') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'rotate',
    GITHUB_ACTION: '__acme_secret-rollout',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'Rotate prod/db',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
    // Keep the SDK away from any real configuration of this machine.
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...files,
    ...env
  }
  for (const [name, value] of Object.entries(inputs)) childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const started = Date.now()
  const child = spawn(process.execPath, [DIST], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid) control.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  let signalledAt: number | undefined
  const interrupt = control.interrupt
  const due = () =>
    interrupt !== undefined &&
    signalledAt === undefined &&
    (typeof interrupt.when === 'string' ? stdout.includes(interrupt.when) : interrupt.when())
  const signal = () => {
    if (!due()) return
    signalledAt = Date.now()
    child.kill(interrupt?.signal)
  }
  const watch = typeof interrupt?.when === 'function' ? setInterval(signal, 20) : undefined
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    signal()
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), control.timeoutMs ?? 120_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const exitedAt = Date.now()
  clearTimeout(timer)
  clearInterval(watch)

  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    annotations: parseAnnotations(stdout),
    masked: [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => unescapeData(m[1])),
    durationMs: exitedAt - started,
    exitAfterSignalMs: signalledAt === undefined ? undefined : exitedAt - signalledAt
  }
}

/** The `name<<delimiter ... delimiter` format @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i])
    outputs[match[1]] = value.join('\n')
  }
  return outputs
}

function parseAnnotations(stdout: string): ActionRun['annotations'] {
  return [...stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)].map((m) => ({
    level: m[1],
    title: /title=([^,]*)/
      .exec(m[2] ?? '')?.[1]
      ?.replace(/%2C/g, ',')
      .replace(/%3A/g, ':')
      .replace(/%25/g, '%'),
    message: unescapeData(m[3])
  }))
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
