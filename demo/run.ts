// `npm start`: the action's main job, run locally as a runner would run it, against the local
// AWS endpoint with the demo scenario. Prints what a user sees: the log, the annotations and
// the job summary.
import { DEMO_INPUTS, DEMO_SCENARIO, runDemo } from './demo.js'
import { renderMarkdown } from './render.js'

const bold = (text: string) => `\x1b[1m${text}\x1b[0m`
console.log(bold(`Local AWS endpoint with the scenario ${DEMO_SCENARIO}`))
console.log(bold('Step inputs:'))
for (const [name, value] of Object.entries(DEMO_INPUTS)) {
  console.log(`  ${name}: ${value.includes('\n') ? `|\n    ${value.split('\n').join('\n    ')}` : value}`)
}

const { run, calls } = await runDemo()

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
for (const [name, value] of Object.entries(run.outputs)) {
  console.log(`  ${name} = ${name === 'services' ? `${JSON.parse(value).length} services (JSON)` : value.replace(/\n/g, ', ')}`)
}
console.log(`\nExit code ${run.code}, ${(run.durationMs / 1000).toFixed(1)} s, ${calls} calls to the endpoint.`)
process.exitCode = run.code ?? 1
