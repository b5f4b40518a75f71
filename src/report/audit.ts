import type { RunContext } from '../settings.js'
import { cell } from './markdown.js'
import { runUrl } from './run-report.js'

/**
 * Who changed the secret and from where: actor, workflow, event, commit and a link to the run.
 * CloudTrail shows the same run in the role session name.
 */
export function auditLines(run: RunContext | undefined): string[] {
  if (!run) return []
  const parts: string[] = []
  if (run.actor) parts.push(`by @${cell(run.actor)}`)
  if (run.workflow) parts.push(`workflow ${code(run.workflow)}`)
  if (run.event) parts.push(`event ${code(run.event)}`)
  if (run.sha) {
    const short = run.sha.slice(0, 12)
    parts.push(run.repository ? `commit [${short}](${run.serverUrl}/${run.repository}/commit/${run.sha})` : `commit ${short}`)
  }
  const url = runUrl(run)
  if (url) parts.push(`[workflow run ${run.id}, attempt ${run.attempt}](${url})`)
  if (parts.length === 0) return []
  return [`Run ${parts.join(' · ')}`, '']
}

/** Inline code that a backtick in the text cannot break out of. */
function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``
}
