import { Inputs, Modes } from '../constants.js'
import { secretMasker } from '../secret/mask.js'
import { readEnum, type Reader } from './readers.js'
import { accountOfRole, accountsWithoutRole, readAccounts, readRegion, readRole } from './role.js'
import { brokenRules } from './rules.js'
import { readRunContext } from './run-context.js'
import { readRotation, readSecretId, readValue, readValueInputs } from './secret.js'
import { readServices, readWaiting } from './services.js'
import { readTrackingIssue } from './tracking-issue.js'
import { InputError, type BaseSettings, type Settings, type SettingsIO } from './types.js'

export { accountsWithoutRole, checkOnceAccountKnown, defaultSessionName } from './role.js'
export * from './types.js'

/**
 * Reads every input once into the settings of its mode. Each concern reads and checks its own
 * inputs (role.ts, secret.ts, services.ts, tracking-issue.ts); the rules between inputs are
 * one table (rules.ts). Every problem is reported at once, in one `InputError`.
 */
export function readSettings(io: SettingsIO): Settings {
  const problems: string[] = []
  const r: Reader = {
    input: (name) => io.getInput(name).trim(),
    bad: (name, message) => problems.push(`\`${name}\`: ${message}`)
  }

  const region = readRegion(r, io.env)
  const run = readRunContext(io.env)
  const mode = readEnum(r, Inputs.Mode, Modes)
  const role = readRole(r, run)
  const { secretId, secretRegion } = readSecretId(r, region)
  const valueInputs = readValueInputs(r, io)
  // Read only when the rules below find exactly one source for a put.
  const value = mode === 'put' && valueInputs.sources.length === 1 ? readValue(r, io, valueInputs) : undefined
  const jsonKey = r.input(Inputs.JsonKey) || undefined
  const rotation = readRotation(r, mode)
  const waiting = readWaiting(r)
  // With role-to-assume the main account is known now; otherwise after the first call to STS (checkOnceAccountKnown).
  const mainAccount = accountOfRole(role)
  const found = readServices(r, io, region, mainAccount)
  const { crossAccountRoles, allowedAccountIds } = readAccounts(r, io, role)
  const { trackingIssue, given: trackingGiven } = readTrackingIssue(r, io, run)

  const broken = brokenRules({
    mode,
    secretId,
    value: valueInputs,
    jsonKey,
    ...rotation,
    services: found.services.length,
    serviceErrors: found.serviceErrors,
    discover: found.discover,
    clusters: found.clusters.length,
    clusterErrors: found.clusterErrors,
    ...waiting,
    trackingIssue: trackingGiven
  })
  for (const { input, message } of broken) r.bad(input, message)
  if (mainAccount) {
    for (const { input, message } of accountsWithoutRole([...found.services, ...found.discoverIn], mainAccount, crossAccountRoles)) {
      r.bad(input, message)
    }
  }

  // The new value is masked before anything can print it, whole and by line (see secret/mask.ts).
  const givenValue = value?.kind === 'given' ? value.value : io.getInput(Inputs.SecretString)
  if (givenValue) secretMasker(io.mask, namesTheReportShows({ secretId, services: found.services, discoverIn: found.clusters }))(givenValue)

  if (problems.length > 0 || !mode) throw new InputError(problems)
  const base: Omit<BaseSettings, 'mode'> = {
    region,
    role,
    secretRegion,
    rotationTimeoutSeconds: rotation.rotationTimeoutSeconds,
    services: found.services,
    discoverIn: found.discoverIn,
    waitForServiceStability: waiting.waitForServiceStability,
    deploymentTimeoutSeconds: waiting.deploymentTimeoutSeconds,
    maxConcurrency: waiting.maxConcurrency,
    apiBudgetPercent: waiting.apiBudgetPercent,
    verifyRollout: waiting.verifyRollout,
    waitUntil: checked(waiting.waitUntil),
    dryRun: waiting.dryRun,
    crossAccountRoles,
    allowedAccountIds,
    run,
    trackingIssue
  }
  switch (mode) {
    case 'rotate':
      return {
        ...base,
        mode,
        secretId: checked(secretId),
        rotationLambdaArn: rotation.rotationLambdaArn,
        ifRotationInProgress: checked(rotation.ifRotationInProgress),
        ifRotationDisabled: checked(rotation.ifRotationDisabled)
      }
    case 'put':
      return { ...base, mode, secretId: checked(secretId), value: checked(value), jsonKey, rollbackOnFailure: waiting.rollbackOnFailure }
    case 'redeploy':
      return { ...base, mode, secretId }
  }
}

/** A value the checks above made sure of: without it a problem was recorded, and thrown. */
function checked<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a setting is missing though no input problem was found')
  return value
}

/**
 * Names the summary and the outputs show, which a JSON field of the secret must not mask away:
 * the secret's id and name, and each listed cluster and service.
 */
export function namesTheReportShows(s: Pick<Settings, 'secretId' | 'services' | 'discoverIn'>): string[] {
  const names = new Set<string>()
  if (s.secretId) names.add(s.secretId)
  for (const ref of s.services) [ref.clusterName, ref.service, ref.label].forEach((n) => names.add(n))
  for (const cluster of s.discoverIn) names.add(cluster.clusterName)
  return [...names]
}
