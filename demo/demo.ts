import { fileURLToPath } from 'node:url'
import { runnerEnv } from '../__fixtures__/e2e.js'
import { runAction, type ActionRun } from '../__fixtures__/runner.js'
import { loadScenario } from '../emulator/scenario.js'
import { startEmulator } from '../emulator/server.js'

export const DEMO_SCENARIO = fileURLToPath(new URL('../emulator/scenarios/demo.yaml', import.meta.url))

/** The demo step: one listed service, discovery in both clusters, a rotation. */
export const DEMO_INPUTS = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/secret-rollout',
  'aws-region': 'eu-west-1',
  mode: 'rotate',
  'secret-id': 'prod/db',
  services: 'prod/front',
  // Finds the other services whose task definitions read prod/db.
  'discover-services': 'true',
  clusters: 'prod\nbatch'
}

/** Runs the bundled action against the local endpoint with the demo scenario, as a runner would. */
export async function runDemo(): Promise<{ run: ActionRun; url: string; calls: number }> {
  const emu = await startEmulator(loadScenario(DEMO_SCENARIO))
  try {
    const run = await runAction(DEMO_INPUTS, { ...runnerEnv(emu), NODE_NO_WARNINGS: '1' })
    return { run, url: emu.url, calls: emu.calls.length }
  } finally {
    await emu.close()
  }
}
