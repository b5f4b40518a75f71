import * as core from './text/core.js'
import { readFileSync } from 'node:fs'
import { ApiBudget } from './aws/api-budget.js'
import { createClients, createStsClient, type AwsClients } from './aws/clients.js'
import { describeAwsError, errorName } from './aws/errors.js'
import { callerAccount, crossAccountProvider, ROLE_CHAINING_MAX_SECONDS } from './aws/cross-account.js'
import { oidcCredentialsProvider, type RefreshableCredentials } from './aws/oidc-credentials.js'
import { systemClock, type Clock } from './clock.js'
import { discoverServices } from './ecs/discover.js'
import { hasFailed } from './ecs/outcome.js'
import type { SecretIdentity, SecretReference } from './ecs/secret-references.js'
import { kindChooser } from './ecs/kinds/index.js'
import type { DeploymentKind, KindContext } from './ecs/kinds/kind.js'
import { MIN_POLL_MS } from './ecs/poll-schedule.js'
import { preflightServices } from './ecs/preflight.js'
import { redeployServices } from './ecs/redeploy.js'
import { expectedDurationMs, longestExpectedFirst } from './ecs/redeploy-order.js'
import { proveRollouts } from './ecs/rollout-proof.js'
import { ServiceTracker } from './ecs/service-state.js'
import { waitForDeployments } from './ecs/wait-for-deployments.js'
import { publishReport } from './report/publish.js'
import type { RunReport } from './report/run-report.js'
import { applySecretChange, type SecretResult } from './secret/apply.js'
import { describeSecret, prepareSecretChange, type SecretPlan } from './secret/prepare.js'
import { replicasOf, waitForReplicas, type Replica, type ReplicaResult } from './secret/replicas.js'
import { rollBackSecret, type SecretRollback } from './secret/rollback.js'
import { sameOnceAccountKnown, serviceKey, type ServiceRef } from './service-list.js'
import { Inputs } from './constants.js'
import { accountsWithoutRole, defaultSessionName, InputError, namesTheReportShows, readSettings, type Settings } from './settings.js'
import { secretMasker } from './secret/mask.js'
import { CancelledError, WriteGate } from './run/writes.js'
import { cancelledMessage } from './run/cancelled.js'
import { Stage } from './stages.js'

export interface RunOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
  /** Aborted when the workflow is cancelled: stop, report what is known, fail. */
  signal?: AbortSignal
}

/**
 * What the run has learnt so far. Each stage sets its own part; services' progress lives in
 * the round's tracker. The report is built from it when it is published.
 */
interface RunState {
  stage: Stage
  settings?: Settings
  discovery?: RunReport['discovery']
  plan?: SecretPlan
  secret?: SecretResult
  round?: ServiceTracker
  rollback?: { secret: SecretRollback; round?: ServiceTracker }
  /** A dry run that got through every check: the report is a plan. */
  planned?: boolean
  /** The share of ECS's read buckets the run's reads wait for (reported with what they took). */
  budget?: ApiBudget
  error?: RunReport['error']
  /** The credentials' account, once services or clusters in several accounts made it matter. */
  mainAccount?: string
  /** Every write sent to AWS, and how it ended. */
  writes: WriteGate
  /** The stage the run was in when it was cancelled (the pipeline may stop a little later). */
  cancelledIn?: Stage
}

/**
 * On cancel the runner sends SIGINT, SIGTERM 7.5 s later and kills the process 2.5 s after that:
 * the report is out within 5 s of the first signal. Writes in flight get a moment to answer (their
 * SDK calls are aborted, so this is short); the tracking issue gets what is left.
 */
const WRITES_SETTLE_MS = 1000
const REPORT_WITHIN_MS = 4000

/**
 * The whole step: the pipeline below, cut short on cancellation, and a report published
 * whatever happens. Anything thrown, Error or not, fails the step with the stage it stopped in.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const state: RunState = { stage: Stage.Input, writes: new WriteGate(options.signal) }
  let cancelledAt = Date.now()
  options.signal?.addEventListener(
    'abort',
    () => {
      state.cancelledIn ??= state.stage
      cancelledAt = Date.now()
    },
    { once: true }
  )
  // Aborted when the pipeline ends, however it ends: waits left in the background (replicas) stop with it.
  const ended = new AbortController()
  const work = pipeline(state, { ...options, signal: anySignal(options.signal, ended.signal) })
  try {
    await untilAborted(work, options.signal)
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack)
    if (options.signal?.aborted) {
      // No write is sent after the cancel; let the calls in flight end, so the report knows what they did.
      await state.writes.idle(WRITES_SETTLE_MS)
      state.error = cancelled(state)
    } else {
      state.error = stopped(state.stage, error)
    }
  } finally {
    ended.abort()
    const isCancelled = options.signal?.aborted ?? false
    await publishReport(reportOf(state, isCancelled), {
      trackingIssue: state.settings?.trackingIssue,
      trackingIssueWithinMs: isCancelled ? Math.max(0, REPORT_WITHIN_MS - (Date.now() - cancelledAt)) : undefined
    })
  }
}

/**
 * inputs -> credentials -> read-only checks (secret, services) -> change the secret -> redeploy
 * -> wait -> (opt-in) roll back. Nothing is written to AWS until every check has passed.
 */
async function pipeline(state: RunState, options: RunOptions): Promise<void> {
  const clock = options.clock ?? systemClock
  const env = options.env ?? process.env
  const settings = readSettings({
    getInput: (name) => core.getInput(name, { trimWhitespace: false }),
    env,
    readFile: (path) => readFileSync(path),
    mask: (value) => core.setSecret(value)
  })
  state.settings = settings
  state.round = new ServiceTracker(settings.services, clock)

  enter(state, Stage.Credentials, options.signal)
  const credentials = await credentialsFor(settings, clock, env)
  const accounts = await otherAccounts(settings, credentials, clock)
  state.mainAccount = accounts?.main
  state.budget = new ApiBudget(settings.apiBudgetPercent, clock)
  const clients = createClients(credentials, settings.maxConcurrency, accounts?.credentials, state.budget)
  const sm = clients.secretsManager(settings.secretRegion)

  enter(state, Stage.SecretPrecheck, options.signal)
  state.plan =
    settings.mode === 'redeploy'
      ? undefined
      : await prepareSecretChange(sm, settings, secretMasker(core.setSecret, namesTheReportShows(settings)), core.info)
  if (state.plan?.owningService) {
    core.info(
      `${state.plan.name} is managed by ${state.plan.owningService}: RotateSecret asks ${state.plan.owningService} to rotate it (managed rotation)`
    )
  }
  if (state.plan?.turnsRotationBackOn) {
    core.warning(
      `Automatic rotation of ${state.plan.name} is turned off; this rotation turns its schedule back on (if-rotation-disabled: enable)`
    )
  }
  let services = settings.services
  if (settings.discoverIn.length > 0) {
    enter(state, Stage.Discovery, options.signal)
    services = await discover(state, settings, clients, state.plan ?? (await secretIdentity(sm, settings)))
  }
  const round = new ServiceTracker(services, clock, discoveredBy(state))
  state.round = round

  enter(state, Stage.Preflight, options.signal)
  // How long each service's current deployment took: the redeploy starts the slowest first.
  const expected = new Map<ServiceRef, number | undefined>()
  const choose = kindChooser({ codedeploy: clients.codedeploy, waitUntil: settings.waitUntil })
  const kinds = await preflightServices(
    clients.ecs,
    services,
    (service, ref) => {
      expected.set(ref, expectedDurationMs(service))
      return choose(service, ref)
    },
    core.warning
  )
  for (const [ref, kind] of kinds) round.assignKind(ref, kind.description)
  if (settings.dryRun) {
    round.markDryRun()
    state.planned = true
    return
  }

  if (state.plan) {
    enter(state, Stage.SecretChange, options.signal)
    const plan = state.plan
    core.info(
      `${plan.mode === 'put' ? 'Putting a new value into' : 'Rotating'} ${plan.name} (AWSCURRENT is ${plan.previousVersionId ?? 'unset'})`
    )
    state.secret = await applySecretChange(sm, plan, {
      clock,
      rotationTimeoutSeconds: settings.rotationTimeoutSeconds,
      log: core.info,
      signal: options.signal,
      writes: state.writes,
      onWritten: (partial) => (state.secret = partial)
    })
    if (state.secret.status !== 'succeeded') {
      round.holdBecause('the secret change failed, so the running tasks keep the current value')
      return
    }
  }
  if (services.length === 0) return

  round.holdBecause('the run stopped before this service was redeployed')
  const kindOf = (ref: ServiceRef) => kinds.get(ref) as DeploymentKind
  const secret = state.secret
  const changed = secret?.status === 'succeeded' && secret.versionId ? { ...secret, versionId: secret.versionId } : undefined
  const replicas = followReplicas(changed, state.plan?.replicas ?? [], settings, clients, clock, options.signal, (results) => {
    if (secret) secret.replicas = results
  })
  // In a replica region, tasks read the new value once the replica has it, not when it was created.
  const secretSince = (ref: ServiceRef) => replicas.currentAt(ref.region) ?? state.secret?.createdAt
  const verify = settings.verifyRollout
    ? async (outcomes: Parameters<typeof proveRollouts>[1]) => {
        const proofs = await Promise.all(
          [...byRegion(outcomes).values()].map((group) => proveRollouts(clients.ecs, group, secretSince(group[0].ref)))
        )
        return new Map(proofs.flatMap((proof) => [...proof]))
      }
    : undefined
  await redeployAndWait(round, kindOf, {
    state,
    settings,
    clients,
    clock,
    signal: options.signal,
    verify,
    before: replicas.before,
    expected
  })

  const failed = round.snapshot().filter(hasFailed)
  if (settings.rollbackOnFailure && state.secret && failed.length > 0) {
    enter(state, Stage.Rollback, options.signal)
    core.warning(
      `${failed.length} deployments did not succeed: moving AWSCURRENT of ${state.secret.name} back to ${state.secret.previousVersionId}`
    )
    const again = new ServiceTracker(services, clock, discoveredBy(state))
    for (const [ref, kind] of kinds) again.assignKind(ref, kind.description)
    again.holdBecause('the rollback of the secret failed')
    state.rollback = {
      secret: await rollBackSecret(sm, state.secret, { writes: state.writes, check: state.plan?.rollbackCheck }),
      round: again
    }
    // AWSCURRENT did not move back: redeploying again would only spread the value that failed.
    if (state.rollback.secret.status !== 'succeeded') return
    again.holdBecause('the run stopped before this service was redeployed again')
    // Replica regions get the moved label like any change: their services wait for it again.
    const back = { arn: state.secret.arn, name: state.secret.name, versionId: state.rollback.secret.versionId }
    const replicasBack = followReplicas(back, state.plan?.replicas ?? [], settings, clients, clock, options.signal)
    await redeployAndWait(again, kindOf, { state, settings, clients, clock, signal: options.signal, before: replicasBack.before, expected })
  }
}

interface RoundContext {
  state: RunState
  settings: Settings
  clients: AwsClients
  /** How long each service's previous deployment took (preflight), when ECS said. */
  expected: ReadonlyMap<ServiceRef, number | undefined>
  clock: Clock
  signal?: AbortSignal
  verify?: Parameters<typeof waitForDeployments>[3]['verify']
  /** Holds a service back until it may start (its region's replica has the new version). */
  before?: (ref: ServiceRef) => Promise<string | undefined>
}

/**
 * One round: start a new deployment of every service and (if asked) wait for them all. The wait
 * runs alongside the redeploy and follows each service from the moment its deployment starts.
 */
async function redeployAndWait(tracker: ServiceTracker, kindOf: (ref: ServiceRef) => DeploymentKind, round: RoundContext): Promise<void> {
  const { settings, clock } = round
  enter(round.state, Stage.Redeploy, round.signal)
  core.info(`Forcing a new deployment of ${tracker.refs.length} services`)
  const ctx: KindContext = {
    ecs: round.clients.ecs,
    ecsWriter: round.clients.ecsWriter,
    codedeploy: round.clients.codedeploy,
    warn: core.warning,
    clock,
    deadline: clock.now() + settings.deploymentTimeoutSeconds * 1000,
    signal: round.signal,
    writes: round.state.writes
  }
  // Once UpdateService is rate-limited, the slowest deployments started first end the run soonest.
  const order = longestExpectedFirst(tracker.refs, (ref) => round.expected.get(ref))
  const redeploying = redeployServices(order, kindOf, tracker, ctx, settings.maxConcurrency, round.before)
  if (!settings.waitForServiceStability) {
    await redeploying
    return
  }
  enter(round.state, Stage.Wait, round.signal)
  await waitForDeployments(tracker, kindOf, ctx, {
    timeoutSeconds: settings.deploymentTimeoutSeconds,
    clock,
    log: core.info,
    warn: core.warning,
    signal: round.signal,
    redeploying,
    verify: round.verify,
    expectedMs: (ref) => round.expected.get(ref),
    // The API budget paces the reads: rounds take as long as it needs, with a short pause between.
    pollDelayMs: MIN_POLL_MS
  })
}

/**
 * Adds the services whose task definitions read the secret to the listed ones (without
 * duplicates). Services whose every reference is pinned keep the old value whatever happens:
 * they are reported, not redeployed.
 */
async function discover(state: RunState, settings: Settings, clients: AwsClients, secret: SecretIdentity): Promise<ServiceRef[]> {
  const discovery = await discoverServices(clients.ecs, settings.discoverIn, secret)
  state.discovery = discovery
  const key = (r: ServiceRef) => serviceKey(r, state.mainAccount)
  const listed = new Set(settings.services.map(key))
  const added = discovery.found.filter((d) => d.references.some((r) => !r.pinned) && !listed.has(key(d.ref))).map((d) => d.ref)
  core.info(
    `Discovery: ${discovery.servicesScanned} services in ${settings.discoverIn.length} clusters, ${discovery.taskDefinitionsRead} task definitions read; ` +
      `${discovery.found.length} read ${secret.name}, ${added.length} added to the ${settings.services.length} listed`
  )
  return [...settings.services, ...added]
}

/** For discovery in mode redeploy: the secret's ARN, name and regions (with its replicas), read with the pre-check's own lookup. */
async function secretIdentity(sm: ReturnType<AwsClients['secretsManager']>, settings: Settings): Promise<SecretIdentity> {
  const secretId = settings.secretId as string
  const secret = await describeSecret(sm, secretId, settings.secretRegion)
  const arn = secret.ARN as string
  const replicas = replicasOf(secret).filter((r) => r.status !== 'Failed')
  return { arn, name: secret.Name ?? secretId, regions: [arn.split(':')[3], ...replicas.map((r) => r.region)] }
}

/** The container secrets that made discovery pick a service, for the report. */
function discoveredBy(state: RunState): (ref: ServiceRef) => SecretReference[] | undefined {
  const key = (r: ServiceRef) => serviceKey(r, state.mainAccount)
  return (ref) => state.discovery?.found.find((d) => key(d.ref) === key(ref))?.references
}

/** The report as things stand: a snapshot of every stage's result and every service's state. */
function reportOf(state: RunState, isCancelled: boolean): RunReport {
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

/**
 * Why the run stopped. Our own errors speak for themselves; an AWS error keeps its name
 * (e.g. `AccessDeniedException: ...`), so the user can look it up.
 */
function stopped(stage: Stage, error: unknown): NonNullable<RunReport['error']> {
  const fromAws = typeof error === 'object' && error !== null && '$metadata' in error
  const message = fromAws ? describeAwsError(error) : error instanceof Error ? error.message : String(error)
  // An input problem found only once the account was known is still an input problem.
  return { title: error instanceof InputError ? Stage.Input : stage, message, name: errorName(error) }
}

/** Resolves or rejects with the work, or rejects as soon as the signal is aborted. */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work
  // The work goes on in the background after an abort; its outcome no longer matters.
  work.catch(() => undefined)
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('cancelled'))
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/** Moves the run to its next stage, unless it was cancelled: then no later stage starts. */
function enter(state: RunState, stage: Stage, signal?: AbortSignal): void {
  state.stage = stage
  if (signal?.aborted) throw new CancelledError(`the run was cancelled before "${stage}"`)
}

/** What a cancelled run says: the stage it was in and exactly what it had written. */
function cancelled(state: RunState): NonNullable<RunReport['error']> {
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

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined))
}

function byRegion<T extends { ref: ServiceRef }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(item.ref.region, [...(groups.get(item.ref.region) ?? []), item])
  return groups
}

/**
 * With replicas: follows each replica region until it has the new version, so a service there
 * starts only then (or is refused with why: a Failed replica, or one that did not catch up
 * within rotation-timeout). Services in other regions are not held. `report` gets the results as they come.
 */
function followReplicas(
  version: { arn: string; name: string; versionId: string } | undefined,
  replicas: readonly Replica[],
  settings: Settings,
  clients: AwsClients,
  clock: Clock,
  signal?: AbortSignal,
  report: (results: ReplicaResult[]) => void = () => undefined
) {
  if (!version || replicas.length === 0) return { before: undefined, currentAt: () => undefined }
  const waits = waitForReplicas(clients.secretsManager, version, replicas, {
    clock,
    timeoutSeconds: settings.rotationTimeoutSeconds,
    log: core.info,
    signal
  })
  const results = new Map<string, ReplicaResult>()
  for (const wait of waits.values()) {
    void wait.then((result) => {
      results.set(result.region, result)
      report(replicas.map((r) => results.get(r.region)).filter((r): r is ReplicaResult => Boolean(r)))
    })
  }
  return {
    before: async (ref: ServiceRef) => {
      const result = await waits.get(ref.region)
      return result && result.status !== 'in-sync' ? `not redeployed: ${result.reason}` : undefined
    },
    currentAt: (region: string) => results.get(region)?.currentAt
  }
}

/**
 * Credentials for services and clusters in other accounts: each role of cross-account-roles
 * assumed from the main session now, so a trust problem stops the run before any write. An
 * ARN in another account with no role is refused here, naming the account and the input.
 */
async function otherAccounts(
  settings: Settings,
  credentials: RefreshableCredentials | undefined,
  clock: Clock
): Promise<{ main: string; credentials: (account: string) => RefreshableCredentials | undefined } | undefined> {
  const accounts = [...settings.services, ...settings.discoverIn].map((r) => r.account).filter((a): a is string => Boolean(a))
  if (accounts.length === 0 && settings.crossAccountRoles.size === 0) return undefined
  const sts = createStsClient(settings.region, credentials)
  const main = settings.role ? settings.role.arn.split(':')[4] : await callerAccount(sts)
  const missing = accountsWithoutRole([...settings.services, ...settings.discoverIn], main, settings.crossAccountRoles)
  const twice = [
    ...sameOnceAccountKnown(settings.services, main).map((p) => `\`${Inputs.Services}\`: ${p}`),
    ...sameOnceAccountKnown(settings.discoverIn, main).map((p) => `\`${Inputs.Clusters}\`: ${p}`)
  ]
  if (missing.length > 0 || twice.length > 0) throw new InputError([...missing.map((m) => `\`${m.input}\`: ${m.message}`), ...twice])
  const providers = new Map<string, RefreshableCredentials>()
  for (const [account, roleArn] of settings.crossAccountRoles) {
    const provider = crossAccountProvider(roleArn, {
      sts,
      sessionName: settings.role?.sessionName ?? defaultSessionName(settings.run),
      durationSeconds: settings.role?.durationSeconds ?? ROLE_CHAINING_MAX_SECONDS,
      clock,
      mask: (value) => core.setSecret(value)
    })
    await provider()
    core.info(`Assumed role ${roleArn} for account ${account}`)
    providers.set(account, provider)
  }
  return { main, credentials: (account) => (account === main ? undefined : providers.get(account)) }
}

async function credentialsFor(settings: Settings, clock: Clock, env: NodeJS.ProcessEnv): Promise<RefreshableCredentials | undefined> {
  if (!settings.role) {
    core.info('No role-to-assume: using the credentials already in the environment')
    return undefined
  }
  const provider = oidcCredentialsProvider(settings.role, {
    getIDToken: (audience) => core.getIDToken(audience),
    sts: createStsClient(settings.region),
    mask: (value) => core.setSecret(value),
    env,
    clock
  })
  // Assume the role now, so a trust-policy problem stops the step before anything else.
  await provider()
  core.info(`Assumed role ${settings.role.arn} as session ${settings.role.sessionName}`)
  return provider
}
