import { hasFailed } from '../ecs/outcome.js'
import { failedServices, type RunReport } from './run-report.js'

export interface Annotation {
  title: string
  message: string
}

/** One error annotation per thing that went wrong: the stopping error, the secret, each service. */
export function errorAnnotations(report: RunReport): Annotation[] {
  const annotations: Annotation[] = []
  if (report.error) annotations.push({ title: report.error.title, message: report.error.message })
  const secret = report.secret
  if (secret && secret.status !== 'succeeded') {
    annotations.push({ title: `secret ${secret.name}`, message: `${secret.mode} failed: ${secret.reason ?? 'unknown reason'}` })
  }
  for (const s of failedServices(report)) {
    annotations.push({ title: s.ref.label, message: `${s.status}: ${s.reason ?? 'no reason given'}` })
  }
  const rollback = report.rollback
  if (rollback?.secret.status === 'failed') {
    annotations.push({ title: `rollback of ${secret?.name}`, message: rollback.secret.reason ?? 'failed' })
  }
  for (const s of rollback?.services.filter(hasFailed) ?? []) {
    annotations.push({ title: `${s.ref.label} (rollback)`, message: `${s.status}: ${s.reason ?? 'no reason given'}` })
  }
  return annotations
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
  return warnings
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
