import type { SecretResult } from '../secret/apply.js'
import type { SecretPlan } from '../secret/prepare.js'
import type { SecretRollback } from '../secret/rollback.js'
import type { WriteRecord } from './writes.js'

export interface CancelledRun {
  stage: string
  mode?: string
  secretId?: string
  plan?: SecretPlan
  /** The secret change as far as it got (set as soon as its write was answered). */
  secret?: SecretResult
  rollback?: SecretRollback
  writes: readonly WriteRecord[]
  /** Deployments started and not finished when the run was cancelled. */
  rollingOut: number
}

/**
 * What a cancelled run says, from the writes it sent and how each ended: which version is
 * AWSCURRENT or AWSPENDING, which deployments were started, and which write may have gone
 * through without an answer. "Nothing had been written" only when no write was sent at all.
 */
export function cancelledMessage(run: CancelledRun): string {
  const said = [`The run was cancelled during "${run.stage}".`]
  const name = run.secret?.name ?? run.plan?.name ?? run.secretId
  const sent = (call: string) => run.writes.filter((w) => w.call === call)
  const unanswered = (records: WriteRecord[]) => records.some((w) => w.state === 'unanswered' || w.state === 'sending')
  const done = (records: WriteRecord[]) => records.some((w) => w.state === 'done')

  const token = run.plan?.token
  const previous = run.plan?.baseVersionId ?? 'the previous version'
  const put = sent('PutSecretValue')
  const rotate = sent('RotateSecret')
  const moveBack = sent('UpdateSecretVersionStage')
  const movedBack = run.rollback?.status === 'succeeded' || done(moveBack)
  if (run.secret?.status === 'succeeded') {
    said.push(`Version ${run.secret.versionId} of ${name} ${movedBack ? 'was made AWSCURRENT; then' : 'is AWSCURRENT.'}`)
  } else if (run.plan?.alreadyCreated && run.plan.mode === 'put') {
    said.push(`Version ${token} of ${name}, written by attempt ${run.plan.writtenByAttempt ?? '?'} of this run, is AWSCURRENT.`)
  } else if (done(put)) {
    said.push(`Version ${token} of ${name} was written, and PutSecretValue made it AWSCURRENT (${previous} is AWSPREVIOUS).`)
  } else if (unanswered(put)) {
    said.push(
      `PutSecretValue of version ${token} of ${name} was sent, but the run was cancelled before AWS answered: it may have been written ` +
        `and be AWSCURRENT. Check which version is AWSCURRENT; a re-run of this run finds that version and does not write it again.`
    )
  } else if (done(rotate) || run.plan?.adopted || (run.plan?.alreadyCreated && run.plan.mode === 'rotate')) {
    said.push(
      `The rotation of ${name} is under way: version ${token} is AWSPENDING and the rotation function may still make it AWSCURRENT ` +
        `(AWSCURRENT was ${previous}).`
    )
  } else if (unanswered(rotate)) {
    said.push(
      `RotateSecret for ${name} was sent, but the run was cancelled before AWS answered: a rotation to version ${token} may have ` +
        `started (AWSCURRENT was ${previous}). Check for an AWSPENDING version.`
    )
  }

  if (movedBack) {
    said.push(`AWSCURRENT was moved back to ${run.rollback?.versionId ?? run.secret?.previousVersionId}, which is AWSCURRENT now.`)
  } else if (unanswered(moveBack)) {
    said.push(
      `UpdateSecretVersionStage (moving AWSCURRENT back to ${run.secret?.previousVersionId}) was sent, but not answered: ` +
        'check which version is AWSCURRENT.'
    )
  }

  const deployCalls = run.writes.filter((w) => w.call === 'UpdateService' || w.call === 'CreateDeployment')
  const started = new Set(deployCalls.filter((w) => w.state === 'done').map((w) => w.target)).size
  const maybe = new Set(deployCalls.filter((w) => w.state === 'unanswered' || w.state === 'sending').map((w) => w.target)).size
  if (started > 0) {
    said.push(`${started} deployments were started, ${run.rollingOut} of them still rolling out; ECS carries on with them.`)
  }
  if (maybe > 0) said.push(`${maybe} more redeploy calls were sent but not answered: those services may have a new deployment too.`)
  if (run.writes.length === 0)
    said.push(run.plan?.alreadyCreated || run.plan?.adopted ? 'This run wrote nothing.' : 'Nothing had been written.')
  return said.join(' ')
}
