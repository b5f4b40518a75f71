import { OIDC_REQUEST_TOKEN, startEmulator, type Emulator } from '../emulator/server.js'
import type { ScenarioInput } from '../emulator/scenario.js'
import { runAction, type ActionRun, type RunControl } from './runner.js'

export const ROLE = 'arn:aws:iam::123456789012:role/secret-rollout'

/** Inputs every e2e run shares: the role assumed over OIDC and the region. */
export const baseInputs = { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' }

/** What the runner gives a job with `permissions: id-token: write`, pointed at the endpoint. */
export function runnerEnv(emu: Emulator): Record<string, string> {
  return { AWS_ENDPOINT_URL: emu.url, ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidcUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_REQUEST_TOKEN }
}

export function scenarioWithRole(scenario: ScenarioInput): ScenarioInput {
  return { ...scenario, roles: [{ arn: ROLE }, ...(scenario.roles ?? [])] }
}

/** Starts the endpoint with a scenario, runs the bundled action against it, and stops it. */
export async function runScenario(
  scenario: ScenarioInput,
  inputs: Record<string, string>,
  options: { env?: (emu: Emulator) => Record<string, string>; control?: RunControl } = {}
): Promise<{ run: ActionRun; emu: Emulator }> {
  const emu = await startEmulator(scenarioWithRole(scenario))
  try {
    const run = await runAction({ ...baseInputs, ...inputs }, options.env ? options.env(emu) : runnerEnv(emu), options.control)
    return { run, emu }
  } finally {
    await emu.close()
  }
}

/**
 * Every value that must never be shown: the secret values the endpoint holds (every version,
 * and each field of JSON ones), the values given as input, the issued keys and OIDC tokens.
 */
export function sensitiveValues(emu: Emulator, extra: string[] = []): string[] {
  const values = new Set<string>(extra.filter((v) => v.length > 0))
  for (const name of emu.scenario.secrets.map((s) => s.name)) {
    for (const stage of ['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING']) {
      const value = emu.secrets.valueOf(name, stage)
      if (!value) continue
      values.add(value)
      try {
        for (const field of Object.values(JSON.parse(value) as Record<string, unknown>)) {
          if (typeof field === 'string' && field.length >= 3) values.add(field)
        }
      } catch {
        // not JSON
      }
    }
  }
  for (const c of emu.sts.issued.filter((i) => i.sessionToken))
    values
      .add(c.secretAccessKey)
      .add(c.accessKeyId)
      .add(c.sessionToken as string)
  for (const token of emu.sts.tokens) values.add(token)
  return [...values]
}

/** Where any of them shows up outside an `::add-mask::` line: must be empty. */
export function leaks(run: ActionRun, values: string[]): string[] {
  const shown = {
    stdout: run.stdout.replace(/^::add-mask::.*$/gm, ''),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    annotations: JSON.stringify(run.annotations)
  }
  const hits: string[] = []
  for (const value of values) {
    for (const [where, text] of Object.entries(shown)) if (text.includes(value)) hits.push(`${where}: ${value.slice(0, 4)}…`)
  }
  return hits
}

export function errors(run: ActionRun) {
  return run.annotations.filter((a) => a.level === 'error')
}
