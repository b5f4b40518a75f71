import * as core from '@actions/core'
import { closingNotice, errorAnnotations, warningAnnotations } from './annotations.js'
import { outputsOf } from './outputs.js'
import { resultOf, type RunReport } from './run-report.js'
import { summaryMarkdown } from './summary.js'

/** Writes outputs, the job summary, annotations and the exit status, from the report alone. */
export async function publishReport(report: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  for (const { title, message } of errorAnnotations(report)) core.error(message, { title })
  for (const { title, message } of warningAnnotations(report)) core.warning(message, { title })
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(summaryMarkdown(report), true).write()
    } catch (error) {
      core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  core.notice(closingNotice(report), { title: 'secret-rollout' })
  if (resultOf(report) === 'failed') process.exitCode = 1
}
