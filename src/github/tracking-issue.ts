import { createHash } from 'node:crypto'
import { closingNotice } from '../report/annotations.js'
import { resultOf, runUrl, type RunReport } from '../report/run-report.js'
import { summaryMarkdown } from '../report/summary.js'
import type { IssuesApi, OpenIssue } from './issues-api.js'
import { isRateLimited } from './rate-limit.js'
import { serviceKey } from '../service-list.js'
import { code, text } from '../text/markdown.js'

/** The label every tracking issue carries: the list call filters on it. */
export const TRACKING_LABEL = 'secret-rollout'

/** GitHub refuses an issue body or comment above 65,536 characters; bytes are never fewer. */
const MAX_BODY_BYTES = 60_000

export type TrackingOutcome = { action: 'opened' | 'commented' | 'closed'; issue: OpenIssue } | { action: 'none'; why: string }

/**
 * Keeps one open issue per secret (or per set of services for mode redeploy) while its runs
 * fail: a failure opens it or comments on it, the next success comments and closes it. The
 * issue is found again by its label and a hidden marker in its body. Bodies are built from the
 * report, which holds names, versions and reasons, never a secret value.
 */
export async function updateTrackingIssue(api: IssuesApi, report: RunReport, mention: readonly string[] = []): Promise<TrackingOutcome> {
  const result = resultOf(report)
  if (result === 'planned') return { action: 'none', why: 'a dry run changes nothing' }
  const subject = subjectOf(report)
  const marker = `<!-- secret-rollout tracking: ${subject.key} -->`
  const open = (await api.listOpen(TRACKING_LABEL)).find((i) => i.body.includes(marker))
  const run = runUrl(report.run)
  const runLink = run ? `[run ${report.run?.id}, attempt ${report.run?.attempt}](${run})` : 'a local run'
  const details = (budget: number) => summaryMarkdown(report, budget)
  // The closing notice is plain text (it is also an annotation): it names the secret, which may hold `@`.
  const notice = text(closingNotice(report))

  if (result === 'failed') {
    if (open) {
      const head = `Failed again in ${runLink}: ${notice}`
      await api.comment(open.number, `${head}\n\n${details(MAX_BODY_BYTES - Buffer.byteLength(head))}`)
      return { action: 'commented', issue: open }
    }
    const head = [
      marker,
      `A secret-rollout run for ${subject.name} failed: ${notice}`,
      '',
      `This issue stays open while the runs fail: each failed run adds a comment, and the next successful run closes it. First failure: ${runLink}.`,
      ...(mention.length > 0 ? ['', `Notifying ${mention.join(' ')} (\`failure-issue-mention\`).`] : []),
      ''
    ].join('\n')
    await api.ensureLabel(TRACKING_LABEL, 'secret-rollout: a rotation or redeploy that keeps failing')
    const issue = await api.create({
      title: `secret-rollout failed: ${subject.name}`,
      body: `${head}\n${details(MAX_BODY_BYTES - Buffer.byteLength(head))}`,
      labels: [TRACKING_LABEL]
    })
    return keepOldest(api, issue, marker, runLink)
  }
  if (!open) return { action: 'none', why: 'no open tracking issue' }
  const head = `Succeeded in ${runLink}: ${notice}. Closing.`
  await api.comment(open.number, `${head}\n\n${details(MAX_BODY_BYTES - Buffer.byteLength(head))}`)
  await api.close(open.number)
  return { action: 'closed', issue: open }
}

/**
 * Two runs that fail at once both find no issue and both open one. After opening, the list is
 * read again: if an older issue has the same marker, this one is closed as its duplicate and the
 * older one gets the comment instead, so one issue stays.
 */
async function keepOldest(api: IssuesApi, created: OpenIssue, marker: string, runLink: string): Promise<TrackingOutcome> {
  const same = (await api.listOpen(TRACKING_LABEL)).filter((i) => i.body.includes(marker) || i.number === created.number)
  const oldest = same.reduce((a, b) => (b.number < a.number ? b : a), created)
  if (oldest.number === created.number) return { action: 'opened', issue: created }
  await api.comment(created.number, `Duplicate of #${oldest.number}, opened by another run at the same time. Closing.`)
  await api.close(created.number)
  await api.comment(oldest.number, `Failed again in ${runLink} (its issue #${created.number} was a duplicate of this one).`)
  return { action: 'commented', issue: oldest }
}

/** What the issue is about, and the key that finds it again on the next run. */
function subjectOf(report: RunReport): { name: string; key: string } {
  if (report.mode !== 'redeploy' && report.secretId) {
    return { name: `${code(report.secretId, false)} (${report.mode})`, key: `secret ${report.secretId}` }
  }
  const services = report.services.map((s) => serviceKey(s.ref)).sort()
  const digest = createHash('sha256').update(services.join('\n')).digest('hex').slice(0, 16)
  return { name: `the redeploy of ${services.length} services`, key: `services ${digest}` }
}

/** A warning that says what to change, for a GitHub error (the rotation's own result stands). */
export function trackingIssueWarning(error: unknown): string {
  const status = (error as { status?: number }).status
  const message = error instanceof Error ? error.message : String(error)
  const fix = isRateLimited(error)
    ? 'GitHub rate limited this token (retried within a bound, then given up): the tracking issue is updated on the next run.'
    : status === 410
      ? 'Issues are disabled in this repository: enable them (Settings, General, Features) or set `failure-issue: false`.'
      : status === 403
        ? 'Add `permissions: issues: write` to the job (the job token needs it to open, comment on and close issues).'
        : status === 401
          ? 'The `github-token` was refused: leave it unset to use the job token, or give a token that can write issues.'
          : status === 404
            ? 'The repository was not found with this token: check `github-token` and that issues are enabled.'
            : 'The rotation result stands; the tracking issue is updated on the next run.'
  return `Could not update the tracking issue: ${message}${status ? ` (HTTP ${status})` : ''}. ${fix}`
}
