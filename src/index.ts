// The action's entry point: run() and nothing else, so tests import main.ts without side effects.
import { run } from './main.js'

// A cancelled workflow sends SIGINT, then SIGTERM: stop, report what is known, exit non-zero.
const cancellation = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => cancellation.abort())

await run({ signal: cancellation.signal })
// A cancelled run leaves ECS calls and timers behind; the report is written, so leave now.
if (cancellation.signal.aborted) process.exit()
