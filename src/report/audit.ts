import type { RunContext } from '../settings/index.js'
import { code, text } from '../text/markdown.js'
import { runUrl } from './run-report.js'

/**
 * Who changed the secret and from where: actor, workflow, event, commit and a link to the run.
 * CloudTrail shows the same run in the role session name. The actor is a link to their profile,
 * never `@actor`: the tracking issue holds these lines, and a mention there would notify them on
 * every failure (`failure-issue-mention` says whom to notify, once).
 */
export function auditLines(run: RunContext | undefined): string[] {
  if (!run) return []
  const parts: string[] = []
  if (run.actor) parts.push(`by [${text(run.actor)}](${run.serverUrl}/${encodeURIComponent(run.actor)})`)
  if (run.workflow) parts.push(`workflow ${code(run.workflow, false)}`)
  if (run.event) parts.push(`event ${code(run.event, false)}`)
  if (run.sha) {
    const short = run.sha.slice(0, 12)
    parts.push(run.repository ? `commit [${short}](${run.serverUrl}/${run.repository}/commit/${run.sha})` : `commit ${short}`)
  }
  const url = runUrl(run)
  if (url) parts.push(`[workflow run ${run.id}, attempt ${run.attempt}](${url})`)
  if (parts.length === 0) return []
  return [`Run ${parts.join(' · ')}`, '']
}
