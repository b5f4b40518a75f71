import * as core from '../text/core.js'
import type { IssuesApi } from '../github/issues-api.js'
import { retryingIssuesApi } from '../github/rate-limit.js'
import { trackingIssueWarning, updateTrackingIssue } from '../github/tracking-issue.js'
import type { TrackingIssueSettings } from '../settings/index.js'
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
  /**
   * A cancelled run: how long the tracking issue may take. The runner kills the process soon after
   * the cancel, and the report must be out before then, so a slow GitHub API is not waited for.
   */
  trackingIssueWithinMs?: number
  /** For tests: how a rate-limited GitHub call waits before it is tried again. */
  sleep?: (ms: number) => Promise<void>
}

/** Room kept at the end of the summary for the line about the tracking issue. */
const TRACKING_LINE_BYTES = 1024

/**
 * Writes outputs, annotations, the job summary, the tracking issue and the exit status, from the
 * report alone. The summary is written before any GitHub call (a slow API and a cancel must not
 * lose it); the line that says what became of the tracking issue is appended to it afterwards:
 * a warning annotation may be one too many for GitHub's 10 a step, the summary line is always there.
 */
export async function publishReport(report: RunReport, options: PublishOptions = {}): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  for (const { title, message } of errorAnnotations(report)) core.error(message, { title })
  for (const { title, message } of warningAnnotations(report)) core.warning(message, { title })
  const summary = process.env.GITHUB_STEP_SUMMARY
    ? await writeSummary(`${summaryMarkdown(report, SUMMARY_MAX_BYTES - (options.trackingIssue ? TRACKING_LINE_BYTES : 0))}\n`, true)
    : false
  if (options.trackingIssue) {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
    // Octokit is loaded only for a run that keeps a tracking issue.
    const create = options.issuesApi ?? (await import('../github/issues-api.js')).createIssuesApi
    const api = (s: TrackingIssueSettings) => retryingIssuesApi(create(s), { sleep })
    const tracking = await within(options.trackingIssueWithinMs, track(report, options.trackingIssue, api))
    if (summary && tracking) await writeSummary(`${tracking.slice(0, TRACKING_LINE_BYTES - 8)}\n\n`, false)
  }
  core.notice(closingNotice(report), { title: 'secret-rollout' })
  if (resultOf(report) === 'failed') process.exitCode = 1
}

/** The work's answer, or after `ms` (when given) a line saying it was not waited for. */
async function within(ms: number | undefined, work: Promise<string>): Promise<string> {
  if (ms === undefined) return work
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      const warning =
        'The tracking issue was not updated: the run was cancelled, and GitHub did not answer before the report had to be written.'
      core.warning(warning, { title: 'tracking issue' })
      resolve(`> ⚠️ ${warning}`)
    }, ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Writes (or appends to) the job summary; a failure is a warning. Whether it was written. */
async function writeSummary(markdown: string, overwrite: boolean): Promise<boolean> {
  try {
    await core.summary.addRaw(markdown).write({ overwrite })
    return true
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeAwsError(error)}`)
    return false
  }
}

/** A GitHub error is a warning: it never turns a good rotation red. Returns the summary's line about it. */
async function track(report: RunReport, settings: TrackingIssueSettings, api: (s: TrackingIssueSettings) => IssuesApi): Promise<string> {
  try {
    const outcome = await updateTrackingIssue(api(settings), report, settings.mention)
    if (outcome.action === 'none') {
      core.info(`Tracking issue: none (${outcome.why})`)
      return ''
    }
    core.info(`Tracking issue ${outcome.action}: ${outcome.issue.url}`)
    // A link the action builds itself, from the run's server and repository, not one from an answer.
    const url = `${report.run?.serverUrl ?? 'https://github.com'}/${settings.repository}/issues/${outcome.issue.number}`
    return `Tracking issue [#${outcome.issue.number}](${url}) ${outcome.action}.`
  } catch (error) {
    const warning = trackingIssueWarning(error)
    core.warning(warning, { title: 'tracking issue' })
    return `> ⚠️ ${warning}`
  }
}
