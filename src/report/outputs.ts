import { Outputs } from '../constants.js'
import { failedServices, resultOf, type RunReport } from './run-report.js'

/** The step outputs, set in every case (also on failure). */
export function outputsOf(report: RunReport): Record<string, string> {
  const secret = report.secret
  return {
    [Outputs.SecretArn]: secret?.arn ?? '',
    [Outputs.VersionId]: secret?.status === 'succeeded' ? (secret.versionId ?? '') : '',
    [Outputs.PreviousVersionId]: secret?.previousVersionId ?? '',
    [Outputs.Services]: JSON.stringify(
      report.services.map((s) => ({
        cluster: s.ref.clusterName,
        service: s.ref.service,
        deploymentId: s.deploymentId ?? null,
        status: s.status,
        reason: s.reason ?? null,
        durationSeconds: s.durationSeconds === undefined ? null : Math.round(s.durationSeconds)
      }))
    ),
    [Outputs.FailedServices]: failedServices(report)
      .map((s) => s.ref.label)
      .join('\n'),
    [Outputs.Result]: resultOf(report)
  }
}
