import { formatDuration } from '../duration.js'
import type { ServiceOutcome } from '../ecs/outcome.js'
import { resultOf, runUrl, type RunReport } from './run-report.js'

const ICON: Record<string, string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  started: '🚀 started',
  skipped: '⏭️ skipped'
}

/** The job summary as markdown: the secret section, then one row per service. */
export function summaryMarkdown(report: RunReport): string {
  const lines: string[] = [`## secret-rollout: ${resultOf(report) === 'succeeded' ? '✅ succeeded' : '❌ failed'}`, '']
  if (report.error) lines.push(`> **${report.error.title}:** ${cell(report.error.message)}`, '')

  const secret = report.secret
  if (secret) {
    lines.push(
      '### Secret',
      '',
      '| secret | mode | previous version | new version | outcome | time |',
      '|---|---|---|---|---|---|',
      `| ${cell(secret.name)} | ${secret.mode} | ${code(secret.previousVersionId)} | ${code(secret.newVersionId)} | ${ICON[secret.status]}${secret.reused ? ' (created by an earlier try)' : ''} | ${formatDuration(secret.durationSeconds)} |`,
      ''
    )
    if (secret.reason) lines.push(`> ${cell(secret.reason)}`, '')
  } else if (report.mode && report.mode !== 'redeploy' && report.secretId) {
    lines.push('### Secret', '', `${cell(report.secretId)} (${report.mode}): not changed.`, '')
  }

  if (report.services.length > 0) lines.push('### ECS services', '', ...servicesTable(report.services), '')

  const rollback = report.rollback
  if (rollback) {
    lines.push('### Rollback', '')
    lines.push(
      rollback.secret.status === 'succeeded'
        ? `Deployments failed, so AWSCURRENT was moved back from \`${rollback.secret.fromVersionId}\` to \`${rollback.secret.versionId}\` and the services were redeployed again:`
        : `Deployments failed, and moving AWSCURRENT back failed: ${cell(rollback.secret.reason ?? '')}`,
      ''
    )
    if (rollback.secret.status === 'succeeded') lines.push(...servicesTable(rollback.services), '')
  }
  const url = runUrl(report.run)
  if (url) lines.push(`[Workflow run](${url})`, '')
  return lines.join('\n')
}

function servicesTable(services: ServiceOutcome[]): string[] {
  const rows = ['| cluster | service | outcome | time | running/desired | reason |', '|---|---|---|---|---|---|']
  for (const s of services) {
    const counts = s.desiredCount === undefined ? '' : `${s.runningCount ?? 0}/${s.desiredCount}`
    const time = s.durationSeconds === undefined ? '' : formatDuration(s.durationSeconds)
    rows.push(`| ${cell(s.ref.clusterName)} | ${cell(s.ref.service)} | ${ICON[s.status]} | ${time} | ${counts} | ${cell(s.reason ?? '')} |`)
  }
  return rows
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n\s*/g, ' ')
}

function code(text: string | undefined): string {
  return text ? `\`${text}\`` : '–'
}
