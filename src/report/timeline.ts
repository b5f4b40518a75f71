import type { ServiceOutcome } from '../ecs/outcome.js'
import { printable } from '../text/outside-text.js'
import type { RunReport } from './run-report.js'

/** A Gantt chart of a few thousand bars is unreadable (and slow to draw): the failures and the slowest. */
export const TIMELINE_MAX_SERVICES = 40

/**
 * A Mermaid Gantt chart (GitHub renders Mermaid in job summaries and issues): the secret change,
 * then each service from its redeploy to its end, failures marked. Times are the action's clock
 * (epoch ms), so the axis reads in the viewer's local time. Empty when nothing ran.
 */
export function timelineLines(report: RunReport): string[] {
  const secret = report.secret
  const timed = report.services.filter(
    (s): s is ServiceOutcome & { startedAt: number } => s.startedAt !== undefined && s.durationSeconds !== undefined
  )
  if (timed.length === 0 && secret?.startedAt === undefined) return []
  const shown = [...timed]
    .sort((a, b) => rank(a) - rank(b) || (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0))
    .slice(0, TIMELINE_MAX_SERVICES)
  const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S']
  if (secret?.startedAt !== undefined) {
    lines.push(
      '  section Secret',
      `  ${label(`${secret.mode} ${secret.name}`)} :${secret.status === 'succeeded' ? 'done' : 'crit'}, secret, ${bar(secret.startedAt, secret.durationSeconds)}`
    )
  }
  const clusters = new Map<string, typeof shown>()
  // Listed order within a cluster, as in the table.
  for (const s of timed.filter((t) => shown.includes(t))) {
    const group = clusters.get(s.ref.clusterName)
    if (group) group.push(s)
    else clusters.set(s.ref.clusterName, [s])
  }
  let id = 0
  for (const [cluster, services] of clusters) {
    lines.push(`  section ${label(cluster)}`)
    for (const s of services) {
      lines.push(
        `  ${label(`${s.ref.service}${SUFFIX[s.status] ?? ''}`)} :${TAG[s.status] ?? 'active'}, s${id++}, ${bar(s.startedAt, s.durationSeconds ?? 0)}`
      )
    }
  }
  lines.push('```', '')
  const note =
    shown.length < timed.length
      ? [`The ${shown.length} of ${timed.length} services that failed or took longest; the table above has them all.`, '']
      : []
  return ['### Timeline', '', ...note, ...lines]
}

const TAG: Record<string, string> = { succeeded: 'done', failed: 'crit', 'timed-out': 'crit, active', started: 'active' }
const SUFFIX: Record<string, string> = { failed: ' (failed)', 'timed-out': ' (timed out)', started: ' (not waited for)' }

/** Failures first, then time-outs, then the rest. */
function rank(s: ServiceOutcome): number {
  return s.status === 'failed' ? 0 : s.status === 'timed-out' ? 1 : 2
}

/** Start and end in epoch ms; at least a second, so every bar can be seen. */
function bar(startedAt: number, durationSeconds: number): string {
  const start = Math.round(startedAt)
  return `${start}, ${start + Math.max(1000, Math.round(durationSeconds * 1000))}`
}

/**
 * `:` ends a task name, `#` and `;` start comments or statements in Mermaid, a backtick could close
 * the fence and `<`, `>`, `&` are HTML to Mermaid's labels: keep them all out.
 */
function label(text: string): string {
  return printable(text)
    .replace(/[:;#`<>&%\uFFFD]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
}
