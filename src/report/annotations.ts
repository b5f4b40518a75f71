import { Outputs } from '../constants.js'
import { hasFailed, type ServiceOutcome } from '../ecs/outcome.js'
import { failedServices, type RunReport } from './run-report.js'

export interface Annotation {
  title: string
  message: string
}

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and drops the rest without
 * a word. Past that, the first 9 (most important first) are kept and the 10th says how many more
 * there are and where to read them.
 */
export const ANNOTATIONS_PER_TYPE = 10

/**
 * The errors, most important first: the stopping error, the secret, failed services, timed-out
 * services, then the rollback's. Within the per-step limit (see `withinLimit`).
 */
export function errorAnnotations(report: RunReport): Annotation[] {
  const annotations: Annotation[] = []
  if (report.error) annotations.push({ title: report.error.title, message: report.error.message })
  const secret = report.secret
  if (secret && secret.status !== 'succeeded') {
    annotations.push({ title: `secret ${secret.name}`, message: `${secret.mode} failed: ${secret.reason ?? 'unknown reason'}` })
  }
  const rollback = report.rollback
  if (rollback?.secret.status === 'failed') {
    annotations.push({ title: `rollback of ${secret?.name}`, message: rollback.secret.reason ?? 'failed' })
  }
  const services = [
    ...mostImportantFirst(failedServices(report)).map((s) => ({
      title: s.ref.label,
      message: `${s.status}: ${s.reason ?? 'no reason given'}`
    })),
    ...mostImportantFirst(rollback?.services.filter(hasFailed) ?? []).map((s) => ({
      title: `${s.ref.label} (rollback)`,
      message: `${s.status}: ${s.reason ?? 'no reason given'}`
    }))
  ]
  return withinLimit([...annotations, ...services], ANNOTATIONS_PER_TYPE, (more) => ({
    title: `${more} more services did not succeed`,
    message: `${more} more failed or timed-out services are not annotated (GitHub shows ${ANNOTATIONS_PER_TYPE} errors per step): every service is in the job summary and in the \`${Outputs.Services}\` and \`${Outputs.FailedServices}\` outputs.`
  }))
}

/** A warning per container whose reference is pinned: redeploying does not give it the new value. */
export function warningAnnotations(report: RunReport): Annotation[] {
  const warnings: Annotation[] = []
  for (const d of report.discovery?.found ?? []) {
    for (const r of d.references.filter((x) => x.pinned)) {
      warnings.push({
        title: `${d.ref.label}: container ${r.container}`,
        message: `${r.variable} reads ${r.valueFrom}, pinned to ${r.versionId ? `version ${r.versionId}` : r.versionStage}: a redeploy keeps the old value. Reference the secret without a version (or with AWSCURRENT) to pick up changes.`
      })
    }
  }
  // One warning is kept free for publishing problems (the summary file, the tracking issue).
  return withinLimit(warnings, ANNOTATIONS_PER_TYPE - 1, (more) => ({
    title: `${more} more pinned secret references`,
    message: `${more} more containers read a pinned version of the secret and keep the old value: all of them are in the job summary's "Discovered services" table.`
  }))
}

/** Failed before timed-out: a failure needs a fix, a timeout may only need more time. */
function mostImportantFirst(services: ServiceOutcome[]): ServiceOutcome[] {
  return [...services.filter((s) => s.status === 'failed'), ...services.filter((s) => s.status !== 'failed')]
}

/** All of them if they fit the per-step limit, else the first ones and one that counts the rest. */
function withinLimit(annotations: Annotation[], limit: number, more: (count: number) => Annotation): Annotation[] {
  if (annotations.length <= limit) return annotations
  const kept = annotations.slice(0, limit - 1)
  return [...kept, more(annotations.length - kept.length)]
}

/** The one line the step ends with. */
export function closingNotice(report: RunReport): string {
  const parts: string[] = []
  const secret = report.secret
  if (secret?.status === 'succeeded') {
    parts.push(
      `${secret.name}: version ${secret.versionId} is AWSCURRENT (${secret.mode}; previous ${secret.previousVersionId ?? 'none'} is AWSPREVIOUS)`
    )
  } else if (secret) {
    parts.push(`${secret.name}: ${secret.mode} failed`)
  }
  if (report.services.length > 0) {
    const count = (status: string) => report.services.filter((s) => s.status === status).length
    const counts = ['succeeded', 'started', 'failed', 'timed-out', 'skipped', 'planned']
      .map((status) => [status, count(status)] as const)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`)
    parts.push(`${report.services.length} services: ${counts.join(', ')}`)
  }
  const rollback = report.rollback
  if (rollback?.secret.status === 'succeeded') {
    const ok = rollback.services.filter((s) => s.status === 'succeeded').length
    parts.push(`rolled back to ${rollback.secret.versionId}; ${ok} of ${rollback.services.length} services redeployed with it`)
  } else if (rollback) parts.push('rollback failed')
  if (report.plan) parts.unshift('dry run, nothing changed')
  if (report.error) parts.push(`stopped: ${report.error.title}`)
  return parts.join('; ') || 'nothing to do'
}
