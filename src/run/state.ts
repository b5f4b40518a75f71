import type { ApiBudget } from '../aws/api-budget.js'
import { describeAwsError, errorName } from '../aws/errors.js'
import type { SecretReference } from '../ecs/secret-references.js'
import type { ServiceTracker } from '../ecs/service-state.js'
import type { RunReport } from '../report/run-report.js'
import type { SecretResult } from '../secret/apply.js'
import type { SecretPlan } from '../secret/prepare.js'
import type { SecretRollback } from '../secret/rollback.js'
import { serviceKey, type ServiceRef } from '../service-list.js'
import { InputError, type Settings } from '../settings/index.js'
import { Stage } from '../stages.js'
import { cancelledMessage } from './cancelled.js'
import type { WriteGate } from './writes.js'

/**
 * What the run has learnt so far: each stage's result, recorded by the orchestrator alone
 * (stages return results, they do not write here). Services' progress lives in each round's
 * tracker. The report is a snapshot of it, taken when it is published.
 */
export interface RunState {
  stage: Stage
  settings?: Settings
  discovery?: RunReport['discovery']
  plan?: SecretPlan
  secret?: SecretResult
  round?: ServiceTracker
  rollback?: { secret: SecretRollback; round?: ServiceTracker }
  /** A dry run that got through every check: the report is a plan. */
  planned?: boolean
  budget?: ApiBudget
  error?: RunReport['error']
  /** The credentials' account, once services or clusters in several accounts made it matter. */
  mainAccount?: string
  /** Every write sent to AWS, and how it ended. */
  writes: WriteGate
  /** The stage the run was in when it was cancelled (the pipeline may stop a little later). */
  cancelledIn?: Stage
}

/** The report as things stand: a snapshot of every stage's result and every service's state. */
export function reportOf(state: RunState, isCancelled: boolean): RunReport {
  const { settings } = state
  return {
    mode: settings?.mode,
    secretId: settings?.secretId,
    run: settings?.run,
    waited: settings?.waitForServiceStability ?? false,
    secret: state.secret ?? (isCancelled ? interruptedChange(state) : undefined),
    services: state.round?.snapshot({ cancelled: isCancelled }) ?? [],
    rollback: state.rollback && {
      secret: state.rollback.secret,
      services: state.rollback.round?.snapshot({ cancelled: isCancelled }) ?? []
    },
    discovery: state.discovery,
    plan: state.planned ? { secret: state.plan } : undefined,
    error: state.error,
    api: state.budget && settings ? { sharePercent: settings.apiBudgetPercent, usage: state.budget.usage() } : undefined
  }
}

/** The container secrets that made discovery pick a service, for the report. */
export function discoveredBy(state: RunState): (ref: ServiceRef) => SecretReference[] | undefined {
  const key = (r: ServiceRef) => serviceKey(r, state.mainAccount)
  return (ref) => state.discovery?.found.find((d) => key(d.ref) === key(ref))?.references
}

/**
 * Why the run stopped. Our own errors speak for themselves; an AWS error keeps its name
 * (e.g. `AccessDeniedException: ...`), so the user can look it up. An input problem found only
 * once the account was known is still an input problem.
 */
export function stoppedBecause(stage: Stage, error: unknown): NonNullable<RunReport['error']> {
  const fromAws = typeof error === 'object' && error !== null && '$metadata' in error
  const message = fromAws ? describeAwsError(error) : error instanceof Error ? error.message : String(error)
  return { title: error instanceof InputError ? Stage.Input : stage, message, name: errorName(error) }
}

/** What a cancelled run says: the stage it was in and exactly what it had written. */
export function cancelledBecause(state: RunState): NonNullable<RunReport['error']> {
  return {
    title: 'Cancelled',
    name: 'Cancelled',
    message: cancelledMessage({
      stage: state.cancelledIn ?? state.stage,
      mode: state.settings?.mode,
      secretId: state.settings?.secretId,
      plan: state.plan,
      secret: state.secret,
      rollback: state.rollback?.secret,
      writes: state.writes.records(),
      rollingOut: [...(state.round?.rollingOut() ?? []), ...(state.rollback?.round?.rollingOut() ?? [])].length
    })
  }
}

/**
 * A change cancelled before its write was answered: what is known of it (the secret, the version
 * before, the version it would make), so the report and outputs name them. Undefined if no write was sent.
 */
function interruptedChange(state: RunState): SecretResult | undefined {
  const plan = state.plan
  const call = plan?.mode === 'put' ? 'PutSecretValue' : 'RotateSecret'
  if (!plan || !state.writes.records().some((w) => w.call === call)) return undefined
  return {
    mode: plan.mode,
    arn: plan.arn,
    name: plan.name,
    status: 'failed',
    newVersionId: plan.token,
    previousVersionId: plan.previousVersionId,
    reused: false,
    durationSeconds: 0,
    reason: `cancelled after ${call} was sent, before AWS answered: version ${plan.token} may exist`
  }
}
