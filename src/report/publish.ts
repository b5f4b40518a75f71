import * as core from '@actions/core'
import { createIssuesApi, type IssuesApi } from '../github/issues-api.js'
import { trackingIssueWarning, updateTrackingIssue } from '../github/tracking-issue.js'
import type { TrackingIssueSettings } from '../settings.js'
import { describeAwsError } from '../aws/errors.js'
import { closingNotice, errorAnnotations, warningAnnotations } from './annotations.js'
import { outputsOf } from './outputs.js'
import { resultOf, type RunReport } from './run-report.js'
import { summaryMarkdown } from './summary.js'

export interface PublishOptions {
  /** With failure-issue: open, comment on or close the tracking issue. */
  trackingIssue?: TrackingIssueSettings
  /** For tests: the GitHub API to use instead of octokit. */
  issuesApi?: (settings: TrackingIssueSettings) => IssuesApi
}

/** Writes outputs, the job summary, annotations, the tracking issue and the exit status, from the report alone. */
export async function publishReport(report: RunReport, options: PublishOptions = {}): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  for (const { title, message } of errorAnnotations(report)) core.error(message, { title })
  for (const { title, message } of warningAnnotations(report)) core.warning(message, { title })
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(summaryMarkdown(report), true).write()
    } catch (error) {
      core.warning(`Could not write the job summary: ${describeAwsError(error)}`)
    }
  }
  if (options.trackingIssue) await track(report, options.trackingIssue, options.issuesApi ?? createIssuesApi)
  core.notice(closingNotice(report), { title: 'secret-rollout' })
  if (resultOf(report) === 'failed') process.exitCode = 1
}

/** A GitHub error is a warning: it never turns a good rotation red. */
async function track(report: RunReport, settings: TrackingIssueSettings, api: (s: TrackingIssueSettings) => IssuesApi): Promise<void> {
  try {
    const outcome = await updateTrackingIssue(api(settings), report)
    core.info(
      outcome.action === 'none' ? `Tracking issue: none (${outcome.why})` : `Tracking issue ${outcome.action}: ${outcome.issue.url}`
    )
  } catch (error) {
    core.warning(trackingIssueWarning(error), { title: 'tracking issue' })
  }
}
