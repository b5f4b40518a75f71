import { formatDuration } from '../duration.js'
import type { Discovery } from '../ecs/discover.js'
import type { ReplicaResult } from '../secret/replicas.js'
import { apiUsageMarkdown } from './api-usage.js'
import type { ServiceOutcome } from '../ecs/outcome.js'
import { auditLines } from './audit.js'
import { byteLength, cell, code, quoteBlock, text } from '../text/markdown.js'
import { resultOf, type RunReport } from './run-report.js'
import { timelineLines } from './timeline.js'
import { FOLD_ABOVE, servicesSection, statusText } from './services-section.js'

/** GitHub refuses a step summary above 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted"). */
export const SUMMARY_MAX_BYTES = 1024 * 1024

/**
 * The job summary as markdown: the secret section, then the services (one table, or folded per
 * cluster on a large fleet), never above `maxBytes`.
 */
export function summaryMarkdown(report: RunReport, maxBytes = SUMMARY_MAX_BYTES): string {
  // Service tables are laid out last, in the room the other sections leave.
  const tables: ServiceOutcome[][] = []
  const servicesTable = (services: ServiceOutcome[]) => {
    tables.push(services)
    return [TABLE_SLOT]
  }
  const result = resultOf(report)
  const lines: string[] = [
    `## secret-rollout: ${result === 'succeeded' ? '✅ succeeded' : result === 'planned' ? '📝 plan (dry run, nothing changed)' : '❌ failed'}`,
    ''
  ]
  if (report.error) lines.push(...quoteBlock(`**${text(report.error.title)}:** `, report.error.message), '')

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
      // On a large fleet the services section lists them all: here the pinned ones, which it cannot show, come first.
      const found = discovery.found.length > FOLD_ABOVE ? pinnedFirst(discovery.found).slice(0, FOLD_ABOVE) : discovery.found
      for (const d of found) {
        for (const r of d.references) {
          const note = r.pinned
            ? `⚠️ pinned to ${r.versionId ? `version ${code(r.versionId)}` : code(r.versionStage)}: a redeploy keeps the old value`
            : ''
          lines.push(
            `| ${cell(d.ref.clusterName)} | ${cell(d.ref.service)} | ${cell(d.taskDefinition.split('/').pop() ?? '')} | ${cell(`${r.container}.${r.variable}`)} | ${code(r.valueFrom)} | ${note} |`
          )
        }
      }
      if (found.length < discovery.found.length) {
        lines.push('', `${discovery.found.length - found.length} more services read the secret: see the ECS services section.`)
      }
      lines.push('')
    }
  }

  if (report.services.length > 0) lines.push('### ECS services', '', ...servicesTable(report.services), '')
  lines.push(...timelineLines(report))

  const rollback = report.rollback
  if (rollback) {
    lines.push('### Rollback', '')
    lines.push(
      rollback.secret.status === 'succeeded'
        ? `Deployments failed, so AWSCURRENT was moved back from ${code(rollback.secret.fromVersionId, false)} to ${code(rollback.secret.versionId, false)} and the services were redeployed again:`
        : `Deployments failed, and moving AWSCURRENT back failed: ${text(rollback.secret.reason ?? '')}`,
      ''
    )
    if (rollback.secret.status === 'succeeded') lines.push(...servicesTable(rollback.services), '')
  }
  if (report.api) lines.push(...apiUsageMarkdown(report.api.usage, report.api.sharePercent))
  lines.push(...auditLines(report.run))
  return fillTableSlots(lines, tables, maxBytes)
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
    const earlier = planned.alreadyCreated && !planned.adopted ? ` (written by attempt ${planned.writtenByAttempt ?? '?'} of this run)` : ''
    return [
      '### Secret',
      '',
      `${text(planned.name)}: ${action}; AWSCURRENT is ${code(planned.baseVersionId ?? planned.previousVersionId, false)} now and would move to ${code(planned.token, false)}${earlier}.`,
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
      `| ${cell(secret.name)} | ${secret.mode} | ${code(secret.previousVersionId)} | ${code(secret.newVersionId)} | ${statusText(secret.status)}${secret.reused ? ` (written by attempt ${secret.writtenByAttempt ?? '?'} of this run)` : ''} | ${formatDuration(secret.durationSeconds)} |`,
      '',
      ...(secret.reason ? [...quoteBlock('', secret.reason), ''] : []),
      ...(secret.replicas?.length ? [...replicasTable(secret.replicas), ''] : [])
    ]
  }
  if (report.mode && report.mode !== 'redeploy' && report.secretId) {
    return ['### Secret', '', `${text(report.secretId)} (${report.mode}): not changed.`, '']
  }
  return []
}

function pinnedFirst(found: Discovery['found']): Discovery['found'] {
  const pinned = (d: Discovery['found'][number]) => d.references.some((r) => r.pinned)
  return [...found.filter(pinned), ...found.filter((d) => !pinned(d))]
}

const TABLE_SLOT = '\u0000services table\u0000'
/** Kept free for the closing line of a summary that had to be cut. */
const CUT_RESERVE = 200

/** Puts each service table in its slot, sharing the room left under `maxBytes` between them. */
function fillTableSlots(lines: string[], tables: ServiceOutcome[][], maxBytes: number): string {
  const rest = lines.filter((l) => l !== TABLE_SLOT)
  const room = Math.max(0, maxBytes - byteLength(rest) - CUT_RESERVE)
  let next = 0
  const filled = lines.flatMap((l) => (l === TABLE_SLOT ? servicesSection(tables[next++], { maxBytes: room / tables.length }) : [l]))
  return cutToSize(filled, maxBytes)
}

/** The last resort if the other sections alone are too large: whole lines up to the limit, then a note. */
function cutToSize(lines: string[], maxBytes: number): string {
  const text = lines.join('\n')
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  const kept: string[] = []
  let used = CUT_RESERVE
  for (const line of lines) {
    used += Buffer.byteLength(line, 'utf8') + 1
    if (used > maxBytes) break
    kept.push(line)
  }
  return [
    ...kept,
    '',
    '> The rest of this summary is cut: a job summary holds at most 1 MiB. The step outputs hold every service.',
    ''
  ].join('\n')
}

const REPLICA: Record<ReplicaResult['status'], string> = { 'in-sync': '✅ in sync', failed: '❌ failed', 'timed-out': '⏱️ timed out' }

/** Each replica region, and when it had the new version: services there were redeployed only then. */
function replicasTable(replicas: ReplicaResult[]): string[] {
  const rows = ['| replica region | new version | had it after | note |', '|---|---|---|---|']
  for (const r of replicas) {
    const when = r.currentAt ? `${formatDuration(r.waitedSeconds)} (${r.currentAt.toISOString().slice(11, 19)} UTC)` : ''
    rows.push(`| ${cell(r.region)} | ${REPLICA[r.status]} | ${when} | ${cell(r.reason ?? '')} |`)
  }
  return rows
}
