import { formatDuration } from '../duration.js'
import type { ServiceOutcome } from '../ecs/outcome.js'
import { resultOf, runUrl, type RunReport } from './run-report.js'

const ICON: Record<string, string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  started: '🚀 started',
  skipped: '⏭️ skipped',
  planned: '📝 planned'
}

/** The job summary as markdown: the secret section, then one row per service. */
export function summaryMarkdown(report: RunReport): string {
  const result = resultOf(report)
  const lines: string[] = [
    `## secret-rollout: ${result === 'succeeded' ? '✅ succeeded' : result === 'planned' ? '📝 plan (dry run, nothing changed)' : '❌ failed'}`,
    ''
  ]
  if (report.error) lines.push(`> **${report.error.title}:** ${cell(report.error.message)}`, '')

  lines.push(...secretSection(report))

  const discovery = report.discovery
  if (discovery) {
    lines.push(
      '### Discovered services',
      '',
      `${discovery.servicesScanned} services scanned, ${discovery.taskDefinitionsRead} task definitions read; ${discovery.found.length} read the secret.`,
      ''
    )
    if (discovery.found.length > 0) {
      lines.push('| cluster | service | task definition | container secret | reference | note |', '|---|---|---|---|---|---|')
      for (const d of discovery.found) {
        for (const r of d.references) {
          const note = r.pinned
            ? `⚠️ pinned to ${r.versionId ? `version ${r.versionId}` : r.versionStage}: a redeploy keeps the old value`
            : ''
          lines.push(
            `| ${cell(d.ref.clusterName)} | ${cell(d.ref.service)} | ${cell(d.taskDefinition.split('/').pop() ?? '')} | ${cell(`${r.container}.${r.variable}`)} | ${code(r.valueFrom)} | ${note} |`
          )
        }
      }
      lines.push('')
    }
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

/**
 * One Secret section: what a dry run would change, what the change did, or that it was not
 * made (the run stopped first). Mode redeploy changes no secret and has none.
 */
function secretSection(report: RunReport): string[] {
  const planned = report.plan?.secret
  if (planned) {
    const action =
      planned.mode === 'put'
        ? 'would put a new value'
        : planned.adopted
          ? 'would wait for the rotation already in progress'
          : 'would rotate'
    const earlier = planned.alreadyCreated && !planned.adopted ? ' (already created by an earlier try of this run attempt)' : ''
    return [
      '### Secret',
      '',
      `${cell(planned.name)}: ${action}; AWSCURRENT is ${code(planned.previousVersionId)} now and would move to ${code(planned.token)}${earlier}.`,
      '',
      `Pre-checks passed: the secret exists, is not scheduled for deletion, has no other rotation in progress${planned.mode === 'rotate' ? ', and has a rotation function' : ''}; every service below exists and is ACTIVE.`,
      ''
    ]
  }
  const secret = report.secret
  if (secret) {
    return [
      '### Secret',
      '',
      '| secret | mode | previous version | new version | outcome | time |',
      '|---|---|---|---|---|---|',
      `| ${cell(secret.name)} | ${secret.mode} | ${code(secret.previousVersionId)} | ${code(secret.newVersionId)} | ${ICON[secret.status]}${secret.reused ? ' (created by an earlier try)' : ''} | ${formatDuration(secret.durationSeconds)} |`,
      '',
      ...(secret.reason ? [`> ${cell(secret.reason)}`, ''] : [])
    ]
  }
  if (report.mode && report.mode !== 'redeploy' && report.secretId) {
    return ['### Secret', '', `${cell(report.secretId)} (${report.mode}): not changed.`, '']
  }
  return []
}

function servicesTable(services: ServiceOutcome[]): string[] {
  const rows = ['| cluster | service | outcome | time | running/desired | tasks on new secret | reason |', '|---|---|---|---|---|---|---|']
  for (const s of services) {
    const counts = s.desiredCount === undefined ? '' : `${s.runningCount ?? 0}/${s.desiredCount}`
    const time = s.durationSeconds === undefined ? '' : formatDuration(s.durationSeconds)
    const proof = s.proof ? `${s.proof.proven}/${s.proof.total}` : ''
    rows.push(
      `| ${cell(s.ref.clusterName)} | ${cell(s.ref.service)} | ${ICON[s.status]} | ${time} | ${counts} | ${proof} | ${cell(s.reason ?? '')} |`
    )
  }
  return rows
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n\s*/g, ' ')
}

function code(text: string | undefined): string {
  return text ? `\`${text}\`` : '–'
}
