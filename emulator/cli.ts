// `npm run emulator -- [scenario.yaml] [--port N]`: the local AWS endpoint on its own, for
// trying the action or the AWS CLI by hand. Prints the variables that point a client at it.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadScenario } from './scenario.js'
import { OIDC_REQUEST_TOKEN, startEmulator } from './server.js'

const { values, positionals } = parseArgs({ options: { port: { type: 'string', default: '0' } }, allowPositionals: true })
const path = positionals[0] ?? fileURLToPath(new URL('./scenarios/demo.yaml', import.meta.url))
const emu = await startEmulator(loadScenario(path), { port: Number(values.port) })
console.log(`Local AWS endpoint for scenario "${emu.scenario.name}" on ${emu.url}`)
console.log(`export AWS_ENDPOINT_URL=${emu.url}`)
console.log(`export ACTIONS_ID_TOKEN_REQUEST_URL='${emu.oidcUrl}'`)
console.log(`export ACTIONS_ID_TOKEN_REQUEST_TOKEN=${OIDC_REQUEST_TOKEN}`)
console.log('Ctrl-C stops it.')
const stop = async () => {
  await emu.close()
  console.log(`Served ${emu.calls.length} calls.`)
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
