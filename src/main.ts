import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { createClients, createStsClient, type AwsClients } from './aws/clients.js'
import { oidcCredentialsProvider, type RefreshableCredentials } from './aws/oidc-credentials.js'
import { systemClock, type Clock } from './clock.js'
import type { ServiceOutcome } from './ecs/outcome.js'
import { discoverServices, type Discovery } from './ecs/discover.js'
import { preflightServices } from './ecs/preflight.js'
import { proveRollout } from './ecs/rollout-proof.js'
import { redeployServices } from './ecs/redeploy.js'
import { waitForDeployments } from './ecs/wait-for-deployments.js'
import { publishReport } from './report/publish.js'
import { failedServices, type RunReport } from './report/run-report.js'
import { applySecretChange } from './secret/apply.js'
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager'
import { prepareSecretChange, PrecheckError } from './secret/prepare.js'
import { rollBackSecret } from './secret/rollback.js'
import type { ServiceRef } from './service-list.js'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { RolloutProof } from './ecs/rollout-proof.js'
import { readSettings, type Settings } from './settings.js'

export interface RunOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
  /** Aborted when the workflow is cancelled: stop, report what is known, fail. */
  signal?: AbortSignal
}

/** Where the run is, for errors and for what a cancelled run reports. */
interface Progress {
  stage: string
}

/**
 * The whole step: the pipeline below, cut short on cancellation, and a report published
 * whatever happens. Anything thrown, Error or not, fails the step with the stage it stopped in.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const report: RunReport = { services: [], waited: false }
  const progress: Progress = { stage: 'Invalid input' }
  try {
    await untilAborted(pipeline(report, progress, options), options.signal)
  } catch (error) {
    report.error = options.signal?.aborted
      ? cancelled(report, progress.stage)
      : { title: progress.stage, message: error instanceof Error ? error.message : String(error) }
  } finally {
    await publishReport(report)
  }
}

/**
 * inputs -> credentials -> read-only checks (secret, services) -> change the secret -> redeploy
 * -> wait -> (opt-in) roll back. Nothing is written to AWS until every check has passed.
 */
async function pipeline(report: RunReport, progress: Progress, options: RunOptions): Promise<void> {
  const clock = options.clock ?? systemClock
  const env = options.env ?? process.env
  const settings = readSettings({
    getInput: (name) => core.getInput(name),
    env,
    readFile: (path) => readFileSync(path, 'utf8'),
    mask: (value) => core.setSecret(value)
  })
  Object.assign(report, { mode: settings.mode, secretId: settings.secretId, run: settings.run, waited: settings.waitForServiceStability })
  report.services = notRedeployed(settings.services, 'an earlier stage failed')

  progress.stage = 'AWS credentials'
  const clients = createClients(await credentialsFor(settings, clock, env), settings.maxConcurrency)
  const { ecs, ecsWriter } = clients
  const sm = clients.secretsManager(settings.secretRegion)

  progress.stage = 'Secret pre-check'
  const plan = settings.mode === 'redeploy' ? undefined : await prepareSecretChange(sm, settings, core.setSecret)
  let services = settings.services
  if (settings.discoverIn.length > 0) {
    progress.stage = 'Service discovery'
    services = await discover(report, settings, ecs, plan ?? (await secretIdentity(sm, settings.secretId as string)))
  }
  // Outcomes for the services as they stand before any write; each stage replaces them.
  const outcomes = (why: string) => notRedeployed(services, why, report.discovery)
  report.services = outcomes('an earlier stage failed')
  progress.stage = 'Service preflight'
  await preflightServices(ecs, services)

  if (settings.dryRun) {
    report.plan = { secret: plan }
    for (const s of report.services) {
      Object.assign(s, {
        status: 'planned',
        reason: s.discoveredBy ? 'would be redeployed: it reads the secret' : 'would be redeployed: listed'
      })
    }
    return
  }

  if (plan) {
    progress.stage = 'Secret change'
    core.info(
      `${plan.mode === 'put' ? 'Putting a new value into' : 'Rotating'} ${plan.name} (AWSCURRENT is ${plan.previousVersionId ?? 'unset'})`
    )
    report.secret = await applySecretChange(sm, plan, {
      clock,
      rotationTimeoutSeconds: settings.rotationTimeoutSeconds,
      log: core.info,
      signal: options.signal
    })
    if (report.secret.status !== 'succeeded') {
      report.services = outcomes('the secret change failed, so the running tasks keep the current value')
      return
    }
  }
  if (services.length === 0) return

  progress.stage = 'Redeploy'
  report.services = outcomes('the run stopped before this service was redeployed')
  const verify = settings.verifyRollout ? (o: ServiceOutcome) => proveRollout(ecs(o.ref.region), o, report.secret?.createdAt) : undefined
  await redeployAndWait(report.services, { settings, ecs, ecsWriter, clock, signal: options.signal, progress, verify })

  if (settings.rollbackOnFailure && report.secret && failedServices(report).length > 0) {
    progress.stage = 'Rollback'
    core.warning(
      `${failedServices(report).length} deployments did not succeed: moving AWSCURRENT of ${report.secret.name} back to ${report.secret.previousVersionId}`
    )
    const secret = await rollBackSecret(sm, report.secret)
    report.rollback = { secret, services: outcomes('the rollback of the secret failed') }
    if (secret.status !== 'succeeded') return
    report.rollback.services = outcomes('the run stopped before this service was redeployed again')
    await redeployAndWait(report.rollback.services, { settings, ecs, ecsWriter, clock, signal: options.signal, progress })
  }
}

interface RoundContext {
  settings: Settings
  ecs: (region: string) => ReturnType<AwsClients['ecs']>
  ecsWriter: (region: string) => ReturnType<AwsClients['ecs']>
  clock: Clock
  signal?: AbortSignal
  progress: Progress
  verify?: (outcome: ServiceOutcome) => Promise<RolloutProof>
}

/**
 * One round: force a new deployment of every service and (if asked) wait for them all. The wait
 * runs alongside the redeploy and follows each service from the moment its deployment starts.
 */
async function redeployAndWait(outcomes: ServiceOutcome[], round: RoundContext): Promise<void> {
  core.info(`Forcing a new deployment of ${outcomes.length} services`)
  const deadline = round.clock.now() + round.settings.deploymentTimeoutSeconds * 1000
  const redeploying = redeployServices(round.ecsWriter, outcomes, round.clock, deadline, round.settings.maxConcurrency)
  if (!round.settings.waitForServiceStability) {
    await redeploying
    return
  }
  round.progress.stage = 'Wait for deployments'
  await waitForDeployments(round.ecs, outcomes, {
    timeoutSeconds: round.settings.deploymentTimeoutSeconds,
    clock: round.clock,
    log: core.info,
    warn: core.warning,
    signal: round.signal,
    redeploying,
    verify: round.verify
  })
}

/**
 * Adds the services whose task definitions read the secret to the listed ones (without
 * duplicates). Services whose every reference is pinned keep the old value whatever happens:
 * they are reported, not redeployed.
 */
async function discover(
  report: RunReport,
  settings: Settings,
  ecs: (region: string) => ECSClient,
  secret: { arn: string; name: string }
): Promise<ServiceRef[]> {
  const discovery = await discoverServices(ecs, settings.discoverIn, secret)
  report.discovery = discovery
  const listed = new Set(settings.services.map(serviceKey))
  const added = discovery.found.filter((d) => d.references.some((r) => !r.pinned) && !listed.has(serviceKey(d.ref))).map((d) => d.ref)
  core.info(
    `Discovery: ${discovery.servicesScanned} services in ${settings.discoverIn.length} clusters, ${discovery.taskDefinitionsRead} task definitions read; ` +
      `${discovery.found.length} read ${secret.name}, ${added.length} added to the ${settings.services.length} listed`
  )
  return [...settings.services, ...added]
}

/** For discovery in mode redeploy: the secret's ARN and name, read-only. */
async function secretIdentity(sm: ReturnType<AwsClients['secretsManager']>, secretId: string): Promise<{ arn: string; name: string }> {
  try {
    const secret = await sm.send(new DescribeSecretCommand({ SecretId: secretId }))
    return { arn: secret.ARN as string, name: secret.Name ?? secretId }
  } catch (error) {
    throw new PrecheckError(
      `\`secret-id\`: cannot read secret "${secretId}" to discover the services that use it: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}

const serviceKey = (r: ServiceRef) => `${r.region}/${r.clusterName}/${r.service}`

/** Outcomes before a redeploy, marked with the container secrets that made discovery pick a service. */
function notRedeployed(refs: ServiceRef[], why: string, discovery?: Discovery): ServiceOutcome[] {
  return refs.map((ref) => ({
    ref,
    status: 'skipped',
    reason: `not redeployed: ${why}`,
    discoveredBy: discovery?.found.find((d) => serviceKey(d.ref) === serviceKey(ref))?.references
  }))
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

/** What a cancelled run says: the stage it was in and what state that leaves things in. */
function cancelled(report: RunReport, stage: string): { title: string; message: string } {
  const rolling = [...report.services, ...(report.rollback?.services ?? [])].filter((s) => s.status === 'started')
  for (const s of rolling) s.reason = `still rolling out when the run was cancelled${s.reason ? ` (${s.reason})` : ''}`
  const secret = report.secret
  const state =
    stage === 'Secret change'
      ? `The ${report.mode} of ${report.secretId} may be under way: check which version is AWSCURRENT before running again.`
      : secret?.status === 'succeeded'
        ? `Version ${secret.versionId} of ${secret.name} is AWSCURRENT. ${rolling.length} deployments were still rolling out; ECS carries on with them.`
        : 'Nothing had been written.'
  return { title: 'Cancelled', message: `The run was cancelled during "${stage}". ${state}` }
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
