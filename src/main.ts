import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import pLimit from 'p-limit'
import { createClients, createStsClient, type AwsClients } from './aws/clients.js'
import { oidcCredentialsProvider } from './aws/oidc-credentials.js'
import { systemClock, type Clock } from './clock.js'
import { preflightServices } from './ecs/preflight.js'
import { redeployServices } from './ecs/redeploy.js'
import { waitForDeployments } from './ecs/wait-for-deployments.js'
import { publishReport } from './report/publish.js'
import type { RunReport } from './report/run-report.js'
import { applySecretChange } from './secret/apply.js'
import { prepareSecretChange } from './secret/prepare.js'
import { readSettings, type Settings } from './settings.js'
import type { AwsCredentialIdentityProvider } from '@smithy/types'

export interface RunOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
}

/**
 * The whole step, top-down: inputs -> credentials -> read-only checks (secret and services) ->
 * change the secret -> redeploy -> wait -> report. Nothing is written to AWS until every check
 * has passed, and the report is published whatever happens.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const clock = options.clock ?? systemClock
  const env = options.env ?? process.env
  const report: RunReport = { services: [], waited: false }
  let stage = 'Invalid input'
  try {
    const settings = readSettings({
      getInput: (name) => core.getInput(name),
      env,
      readFile: (path) => readFileSync(path, 'utf8'),
      mask: (value) => core.setSecret(value)
    })
    Object.assign(report, { mode: settings.mode, secretId: settings.secretId, run: settings.run, waited: settings.waitForServiceStability })
    report.services = settings.services.map((ref) => ({ ref, status: 'skipped', reason: 'not redeployed: an earlier stage failed' }))

    stage = 'AWS credentials'
    const clients = createClients(await credentialsFor(settings, clock, env))
    const limit = pLimit(settings.maxConcurrency)
    const ecs = (region: string) => clients.ecs(region)

    stage = 'Secret pre-check'
    const plan = settings.mode === 'redeploy' ? undefined : await prepareSecretChange(secretsClient(clients, settings), settings, core.setSecret)
    stage = 'Service preflight'
    await preflightServices(ecs, settings.services, limit)

    if (plan) {
      stage = 'Secret change'
      core.info(`${plan.mode === 'put' ? 'Putting a new value into' : 'Rotating'} ${plan.name} (AWSCURRENT is ${plan.previousVersionId ?? 'unset'})`)
      report.secret = await applySecretChange(secretsClient(clients, settings), plan, {
        clock,
        rotationTimeoutSeconds: settings.rotationTimeoutSeconds,
        log: core.info
      })
      if (report.secret.status !== 'succeeded') {
        for (const s of report.services) s.reason = 'not redeployed: the secret change failed, so the running tasks keep the current value'
        return
      }
    }

    if (settings.services.length === 0) return
    stage = 'Redeploy'
    core.info(`Forcing a new deployment of ${settings.services.length} services`)
    report.services = await redeployServices(ecs, settings.services, limit, clock)
    if (settings.waitForServiceStability) {
      stage = 'Wait for deployments'
      report.services = await waitForDeployments(ecs, report.services, {
        timeoutSeconds: settings.deploymentTimeoutSeconds,
        clock,
        limit,
        log: core.info,
        warn: core.warning
      })
    }
  } catch (error) {
    // Anything thrown, Error or not, fails the step with the stage it stopped in.
    report.error = { title: stage, message: error instanceof Error ? error.message : String(error) }
  } finally {
    await publishReport(report)
  }
}

function secretsClient(clients: AwsClients, settings: Settings) {
  return clients.secretsManager(settings.secretRegion)
}

async function credentialsFor(settings: Settings, clock: Clock, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentityProvider | undefined> {
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
