import type { DeploymentKind } from '../ecs/kinds/kind.js'
import { hasFailed } from '../ecs/outcome.js'
import { ServiceTracker } from '../ecs/service-state.js'
import { secretMasker } from '../secret/mask.js'
import type { ServiceRef } from '../service-list.js'
import { namesTheReportShows, type Settings } from '../settings/index.js'
import { Stage } from '../stages.js'
import { credentialsStage, type Credentials } from '../stages/credentials.js'
import { discoveryStage } from '../stages/discovery.js'
import { preflightStage, type Preflight } from '../stages/preflight.js'
import { rollbackStage } from '../stages/rollback.js'
import { rolloutStage, type RolloutVersion } from '../stages/rollout.js'
import { secretChangeStage } from '../stages/secret-change.js'
import { secretIdentity, secretPrecheckStage } from '../stages/secret-precheck.js'
import type { StageContext } from './context.js'
import { discoveredBy, type RunState } from './state.js'
import { CancelledError } from './writes.js'

/**
 * The stages after the inputs, in order: credentials -> read-only checks (secret, discovery,
 * services) -> change the secret -> redeploy and wait -> (opt-in) roll back. Nothing is written
 * to AWS until every check has passed. Each stage returns its result; only this file and
 * main.ts record results in the run's state.
 */
export async function awsStages(
  state: RunState,
  ctx: StageContext,
  settings: Settings,
  runner: { getIDToken(audience: string): Promise<string> }
): Promise<void> {
  enter(state, Stage.Credentials, ctx)
  const aws = await credentialsStage(ctx, settings, runner.getIDToken)
  state.mainAccount = aws.mainAccount
  state.budget = aws.budget
  const sm = aws.clients.secretsManager(settings.secretRegion)

  enter(state, Stage.SecretPrecheck, ctx)
  if (settings.mode !== 'redeploy') {
    state.plan = await secretPrecheckStage(ctx, settings, sm, secretMasker(ctx.log.mask, namesTheReportShows(settings)))
  }

  let services = settings.services
  // discover-services needs secret-id (settings/rules.ts), in every mode.
  if (settings.discoverIn.length > 0 && settings.secretId !== undefined) {
    enter(state, Stage.Discovery, ctx)
    const secret = state.plan ?? (await secretIdentity(sm, settings.secretId, settings.secretRegion))
    const found = await discoveryStage(ctx, settings, aws.clients, secret, state.mainAccount)
    state.discovery = found.discovery
    services = found.services
  }
  const round = new ServiceTracker(services, ctx.clock, discoveredBy(state))
  state.round = round

  enter(state, Stage.Preflight, ctx)
  const preflight = await preflightStage(ctx, settings, aws.clients, services)
  for (const [ref, kind] of preflight.kinds) round.assignKind(ref, kind.description)
  if (settings.dryRun) {
    round.markDryRun()
    state.planned = true
    return
  }

  if (state.plan) {
    enter(state, Stage.SecretChange, ctx)
    state.secret = await secretChangeStage(ctx, settings, sm, state.plan, (partial) => (state.secret = partial))
    if (state.secret.status !== 'succeeded') {
      round.holdBecause('the secret change failed, so the running tasks keep the current value')
      return
    }
  }
  if (services.length === 0) return

  round.holdBecause('the run stopped before this service was redeployed')
  const secret = state.secret
  const version = secret?.versionId ? rolloutVersion(secret, secret.versionId, state) : undefined
  await rolloutStage(ctx, settings, aws.clients, version, {
    tracker: round,
    kindOf: (ref) => preflight.kinds.get(ref) as DeploymentKind,
    expected: preflight.expected,
    verify: settings.verifyRollout,
    onPhase: (phase) => enter(state, phase === 'redeploy' ? Stage.Redeploy : Stage.Wait, ctx),
    onReplicas: (results) => {
      if (secret) secret.replicas = results
    }
  })

  const failed = round.snapshot().filter(hasFailed)
  if (settings.mode === 'put' && settings.rollbackOnFailure && secret && failed.length > 0)
    await rollBack(state, ctx, settings, aws, preflight, secret, services, failed.length)
}

/** rollback-on-failure: AWSCURRENT back to the version before the run, then every service redeployed again with it. */
async function rollBack(
  state: RunState,
  ctx: StageContext,
  settings: Settings,
  aws: Credentials,
  preflight: Preflight,
  secret: NonNullable<RunState['secret']>,
  services: readonly ServiceRef[],
  failed: number
): Promise<void> {
  enter(state, Stage.Rollback, ctx)
  const again = new ServiceTracker(services, ctx.clock, discoveredBy(state))
  // Kinds made for this round: none takes the first round's deployments for its own.
  const kinds = await preflight.kindsForNewRound()
  for (const [ref, kind] of kinds) if ('description' in kind) again.assignKind(ref, kind.description)
  again.holdBecause('the rollback of the secret failed')
  const moved = await rollbackStage(ctx, aws.clients.secretsManager(settings.secretRegion), secret, state.plan, failed)
  state.rollback = { secret: moved, round: again }
  // AWSCURRENT did not move back: redeploying again would only spread the value that failed.
  if (moved.status !== 'succeeded') return
  again.holdBecause('the run stopped before this service was redeployed again')
  for (const [ref, kind] of kinds) if ('refused' in kind) again.refuse(ref, `cannot be redeployed again: ${kind.refused}`)
  // Replica regions get the moved label like any change: their services wait for it again.
  await rolloutStage(ctx, settings, aws.clients, rolloutVersion(secret, moved.versionId, state), {
    tracker: again,
    kindOf: (ref) => kinds.get(ref) as DeploymentKind,
    expected: preflight.expected,
    verify: false,
    onPhase: (phase) => enter(state, phase === 'redeploy' ? Stage.Redeploy : Stage.Wait, ctx)
  })
}

function rolloutVersion(secret: NonNullable<RunState['secret']>, versionId: string, state: RunState): RolloutVersion {
  return { arn: secret.arn, name: secret.name, versionId, createdAt: secret.createdAt, replicas: state.plan?.replicas ?? [] }
}

/** Moves the run to its next stage, unless it was cancelled: then no later stage starts. */
export function enter(state: RunState, stage: Stage, ctx: StageContext): void {
  state.stage = stage
  if (ctx.signal?.aborted) throw new CancelledError(`the run was cancelled before "${stage}"`)
  ctx.log.group(stage)
}
