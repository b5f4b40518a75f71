import * as core from '../text/core.js'
import { createIssuesApi, type IssuesApi } from '../github/issues-api.js'
import { trackingIssueWarning, updateTrackingIssue } from '../github/tracking-issue.js'
import type { TrackingIssueSettings } from '../settings.js'
import { describeAwsError } from '../aws/errors.js'
import { closingNotice, errorAnnotations, warningAnnotations } from './annotations.js'
import { outputsOf } from './outputs.js'
import { resultOf, type RunReport } from './run-report.js'
import { SUMMARY_MAX_BYTES, summaryMarkdown } from './summary.js'

export interface PublishOptions {
  /** With failure-issue: open, comment on or close the tracking issue. */
  trackingIssue?: TrackingIssueSettings
  /** For tests: the GitHub API to use instead of octokit. */
  issuesApi?: (settings: TrackingIssueSettings) => IssuesApi
}

/**
 * Writes outputs, annotations, the tracking issue, the job summary and the exit status, from the
 * report alone. The tracking issue goes first so the summary can say what became of it: a warning
 * annotation may be one too many for GitHub's 10 a step, the summary line is always there.
 */
export async function publishReport(report: RunReport, options: PublishOptions = {}): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  for (const { title, message } of errorAnnotations(report)) core.error(message, { title })
  for (const { title, message } of warningAnnotations(report)) core.warning(message, { title })
  const tracking = options.trackingIssue ? await track(report, options.trackingIssue, options.issuesApi ?? createIssuesApi) : undefined
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      const after = tracking ? `\n${tracking}\n` : ''
      await core.summary.addRaw(summaryMarkdown(report, SUMMARY_MAX_BYTES - Buffer.byteLength(after)) + after, true).write()
    } catch (error) {
      core.warning(`Could not write the job summary: ${describeAwsError(error)}`)
    }
  }
  core.notice(closingNotice(report), { title: 'secret-rollout' })
  if (resultOf(report) === 'failed') process.exitCode = 1
}

/** A GitHub error is a warning: it never turns a good rotation red. Returns the summary's line about it. */
async function track(report: RunReport, settings: TrackingIssueSettings, api: (s: TrackingIssueSettings) => IssuesApi): Promise<string> {
  try {
    const outcome = await updateTrackingIssue(api(settings), report)
    if (outcome.action === 'none') {
      core.info(`Tracking issue: none (${outcome.why})`)
      return ''
    }
    core.info(`Tracking issue ${outcome.action}: ${outcome.issue.url}`)
    return `Tracking issue [#${outcome.issue.number}](${outcome.issue.url}) ${outcome.action}.`
  } catch (error) {
    const warning = trackingIssueWarning(error)
    core.warning(warning, { title: 'tracking issue' })
    return `> ⚠️ ${warning}`
  }
}
