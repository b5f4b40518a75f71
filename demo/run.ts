// `npm start`: the action's main job, run locally as a runner would run it, against the local
// AWS endpoint with the demo scenario. Prints what a user sees: the log, the annotations and
// the job summary.
import { fileURLToPath } from 'node:url'
import { runAction } from '../__fixtures__/runner.js'
import { loadScenario } from '../emulator/scenario.js'
import { OIDC_REQUEST_TOKEN, startEmulator } from '../emulator/server.js'
import { renderMarkdown } from './render.js'

const scenarioPath = fileURLToPath(new URL('../emulator/scenarios/demo.yaml', import.meta.url))
const emu = await startEmulator(loadScenario(scenarioPath))
const inputs = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/secret-rollout',
  'aws-region': 'eu-west-1',
  mode: 'rotate',
  'secret-id': 'prod/db',
  services: 'prod/front',
  // Finds the other services whose task definitions read prod/db.
  'discover-services': 'true',
  clusters: 'prod\nbatch'
}
const bold = (text: string) => `\x1b[1m${text}\x1b[0m`

console.log(bold(`Local AWS endpoint on ${emu.url} (scenario: ${scenarioPath})`))
console.log(bold('Step inputs:'))
for (const [name, value] of Object.entries(inputs))
  console.log(`  ${name}: ${value.includes('\n') ? `|\n    ${value.split('\n').join('\n    ')}` : value}`)

const run = await runAction(inputs, {
  AWS_ENDPOINT_URL: emu.url,
  ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidcUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_REQUEST_TOKEN,
  NODE_NO_WARNINGS: '1'
})
await emu.close()

// What the runner shows: masked values as ***, workflow commands turned into annotations.
const hide = (text: string) => run.masked.filter((m) => m.length > 0).reduce((t, m) => t.split(m).join('***'), text)
console.log(`\n${bold('── Log ──')}`)
for (const line of run.stdout.split('\n')) {
  if (!line || /^::(add-mask|debug|set-output)/.test(line)) continue
  const command = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line)
  console.log(hide(command ? `${command[1].toUpperCase()}: ${command[2].replace(/%0A/g, '\n  ')}` : line))
}
console.log(`\n${bold('── Annotations ──')}`)
for (const a of run.annotations) console.log(`${a.level.padEnd(7)} ${a.title ?? ''}: ${hide(a.message)}`)
console.log(`\n${bold('── Job summary ──')}`)
console.log(renderMarkdown(hide(run.summary)))
console.log(bold('── Outputs ──'))
for (const [name, value] of Object.entries(run.outputs))
  console.log(`  ${name} = ${name === 'services' ? `${JSON.parse(value).length} services (JSON)` : value.replace(/\n/g, ', ')}`)
console.log(`\nExit code ${run.code}, ${(run.durationMs / 1000).toFixed(1)} s, ${emu.calls.length} calls to the endpoint.`)
process.exitCode = run.code ?? 1
