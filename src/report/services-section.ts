import { formatDuration } from '../duration.js'
import type { ServiceOutcome } from '../ecs/outcome.js'
import { Outputs } from '../constants.js'
import { byteLength, cell, html, link } from '../text/markdown.js'
import { codeDeployUrl, ecsServiceUrl } from './console-links.js'

/** Up to this many services the summary shows one table, as a person reads it at a glance. */
export const FOLD_ABOVE = 50

const ICON: Record<string, string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  started: '🚀 started',
  skipped: '⏭️ skipped',
  planned: '📝 planned'
}

export function statusText(status: string): string {
  return ICON[status] ?? status
}

export interface SectionOptions {
  /** Bytes (UTF-8) the section may take; rows past it are counted, not shown. */
  maxBytes: number
  foldAbove?: number
}

/**
 * The services as markdown lines. Up to `foldAbove` services: one table. Beyond: the failures
 * first, in full, then the others folded into a `<details>` per cluster, so a fleet of
 * thousands stays readable and within GitHub's summary limit.
 */
export function servicesSection(services: ServiceOutcome[], options: SectionOptions): string[] {
  const budget = new Budget(options.maxBytes)
  if (services.length <= (options.foldAbove ?? FOLD_ABOVE)) {
    return [...budget.table(services, true), ...budget.unshown()]
  }
  const failed = [...services.filter((s) => s.status === 'failed'), ...services.filter((s) => s.status === 'timed-out')]
  const others = services.filter((s) => s.status !== 'failed' && s.status !== 'timed-out')
  const lines = [`${services.length} services: ${counts(services)}.`, '']
  budget.take(lines)
  if (failed.length > 0) {
    const heading = [`#### Did not succeed (${failed.length})`, '']
    budget.take(heading)
    lines.push(...heading, ...budget.table(failed, true), '')
    budget.take([''])
  }
  for (const [cluster, group] of byCluster(others)) {
    const open = [`<details><summary><b>${html(cluster)}</b>: ${group.length} services, ${counts(group)}</summary>`, '']
    if (!budget.fits(open)) {
      budget.skip(group.length)
      continue
    }
    budget.take(open)
    lines.push(...open, ...budget.table(group, false), '', '</details>', '')
    budget.take(['', '</details>', ''])
  }
  return [...lines, ...budget.unshown()]
}

/** Keeps count of the bytes used and of the services left out for lack of room. */
class Budget {
  private used = 0
  private left = 0

  constructor(private readonly max: number) {}

  fits(lines: string[]): boolean {
    return this.used + byteLength(lines) + RESERVE <= this.max
  }

  take(lines: string[]): void {
    this.used += byteLength(lines)
  }

  skip(count: number): void {
    this.left += count
  }

  /** A table with as many rows as fit (none without room for its header). */
  table(services: ServiceOutcome[], withCluster: boolean): string[] {
    const header = withCluster
      ? [
          '| cluster | service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
          '|---|---|---|---|---|---|---|---|'
        ]
      : ['| service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |', '|---|---|---|---|---|---|---|']
    if (!this.fits(header)) {
      this.skip(services.length)
      return []
    }
    this.take(header)
    const rows = [...header]
    for (const [i, s] of services.entries()) {
      const row = [serviceRow(s, withCluster)]
      if (!this.fits(row)) {
        this.skip(services.length - i)
        break
      }
      this.take(row)
      rows.push(...row)
    }
    return rows
  }

  /** The line that says what was left out, if anything was. */
  unshown(): string[] {
    if (this.left === 0) return []
    return [
      '',
      `> ${this.left} more services are not shown: a job summary holds at most 1 MiB. Every service is in the \`${Outputs.Services}\` output, and failures in \`${Outputs.FailedServices}\`.`
    ]
  }
}

/** Room kept for the closing lines (`</details>`, the "not shown" note). */
const RESERVE = 400

function serviceRow(s: ServiceOutcome, withCluster: boolean): string {
  const counts = s.desiredCount === undefined ? '' : `${s.runningCount ?? 0}/${s.desiredCount}`
  const time = s.durationSeconds === undefined ? '' : formatDuration(s.durationSeconds)
  const proof = s.proof ? `${s.proof.proven}/${s.proof.total}` : ''
  const cluster = withCluster ? `| ${cell(s.ref.clusterName)} ` : ''
  const serviceUrl = ecsServiceUrl(s.ref)
  const service = serviceUrl ? link(s.ref.service, serviceUrl) : cell(s.ref.service)
  return `${cluster}| ${service} | ${statusText(s.status)} | ${time} | ${counts} | ${proof} | ${cell(s.reason ?? '')} | ${redeployedBy(s)} |`
}

/** How the service was redeployed; a CodeDeploy deployment (`d-...`) links to its console page. */
function redeployedBy(s: ServiceOutcome): string {
  const kind = cell(s.kind ?? '')
  const id = s.deploymentId
  const url = id && CODEDEPLOY_ID.test(id) ? codeDeployUrl(s.ref.region, id) : undefined
  if (!id || !url) return kind
  return [kind, `deployment ${link(id, url)}`].filter(Boolean).join(': ')
}

/** CodeDeploy's deployment ids (`d-` and 9 letters or digits); ECS's own are ARNs or `ecs-svc/...`. */
const CODEDEPLOY_ID = /^d-[A-Z0-9]+$/

/** "3 succeeded, 1 started", in a fixed order. */
function counts(services: ServiceOutcome[]): string {
  return ['succeeded', 'failed', 'timed-out', 'started', 'skipped', 'planned']
    .map((status) => [status, services.filter((s) => s.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ')
}

/** Services grouped by cluster, in the order they were listed; the region is named when there are several. */
function byCluster(services: ServiceOutcome[]): Map<string, ServiceOutcome[]> {
  const regions = new Set(services.map((s) => s.ref.region))
  const groups = new Map<string, ServiceOutcome[]>()
  for (const s of services) {
    const key = regions.size > 1 ? `${s.ref.clusterName} (${s.ref.region})` : s.ref.clusterName
    const group = groups.get(key)
    if (group) group.push(s)
    else groups.set(key, [s])
  }
  return groups
}
