import { Outputs } from '../constants.js'
import { failedServices, resultOf, type RunReport } from './run-report.js'

/** What a dry run would do, for the `plan` output: ids and names only, never a value. */
function planOf(report: RunReport) {
  const secret = report.plan?.secret
  return {
    secret: secret
      ? {
          arn: secret.arn,
          mode: secret.mode,
          currentVersionId: secret.baseVersionId ?? secret.previousVersionId ?? null,
          newVersionId: secret.token,
          alreadyCreated: secret.alreadyCreated
        }
      : null,
    services: report.services.map((s) => ({
      cluster: s.ref.clusterName,
      service: s.ref.service,
      why: s.discoveredBy ? s.discoveredBy.map((r) => `${r.container}.${r.variable} <- ${r.valueFrom}`) : ['listed'],
      how: s.kind ?? null
    }))
  }
}

/** The step outputs, set in every case (also on failure). */
export function outputsOf(report: RunReport): Record<string, string> {
  const secret = report.secret
  const rolledBack = report.rollback?.secret.status === 'succeeded'
  // A cancelled put whose write was answered left its version AWSCURRENT: the output says so.
  const madeCurrent = secret?.status === 'succeeded' || (report.error?.name === 'Cancelled' && secret?.mode === 'put')
  const current = rolledBack ? report.rollback?.secret.versionId : madeCurrent ? secret?.versionId : undefined
  return {
    [Outputs.SecretArn]: secret?.arn ?? '',
    [Outputs.VersionId]: current ?? '',
    [Outputs.PreviousVersionId]: secret?.previousVersionId ?? '',
    [Outputs.Services]: JSON.stringify(
      report.services.map((s) => ({
        cluster: s.ref.clusterName,
        service: s.ref.service,
        deploymentId: s.deploymentId ?? null,
        redeployedBy: s.kind ?? null,
        status: s.status,
        reason: s.reason ?? null,
        durationSeconds: s.durationSeconds === undefined ? null : Math.round(s.durationSeconds)
      }))
    ),
    [Outputs.FailedServices]: failedServices(report)
      .map((s) => s.ref.label)
      .join('\n'),
    [Outputs.Result]: resultOf(report),
    [Outputs.Plan]: report.plan ? JSON.stringify(planOf(report)) : ''
  }
}
