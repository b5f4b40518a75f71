import { Inputs, type Mode, type WaitUntil } from '../constants.js'
import type { ValueInputs } from './secret.js'
import type { TrackingIssueInputs } from './tracking-issue.js'

/** What the rules look at: each input as read (an input that is not valid is undefined or its default). */
export interface Given {
  /** undefined: `mode` is not one of the modes. */
  mode?: Mode
  secretId?: string
  value: ValueInputs
  jsonKey?: string
  rotationLambdaArn?: string
  ifRotationInProgress?: 'fail' | 'wait'
  ifRotationDisabled?: 'fail' | 'enable'
  services: number
  serviceErrors: number
  discover: boolean
  clusters: number
  clusterErrors: number
  waitForServiceStability: boolean
  verifyRolloutGiven: boolean
  verifyRollout: boolean
  waitUntil?: WaitUntil
  rollbackOnFailure: boolean
  trackingIssue: TrackingIssueInputs
}

/** One rule between inputs: when `when` holds, `input` gets `problem`. */
export interface Rule {
  input: string | ((g: Given) => string)
  when: (g: Given) => boolean
  problem: string | ((g: Given) => string)
}

const WAIT = `needs ${Inputs.WaitForServiceStability}: true`
const VALUE_SOURCES = [Inputs.SecretString, Inputs.SecretFile, Inputs.GeneratePassword]

/**
 * Every rule between inputs, in one table. A new mode adds its member to `Settings` (types.ts)
 * and its rows here; a new input that depends on another adds a row. Checks of one input alone
 * (its format, its range) live with the input's reader, in the file of its concern.
 */
export const RULES: readonly Rule[] = [
  {
    input: Inputs.SecretId,
    when: (g) => !g.secretId && g.mode !== undefined && g.mode !== 'redeploy',
    problem: (g) => `required with mode ${g.mode}`
  },
  {
    input: (g) => g.value.passwordOption ?? Inputs.PasswordLength,
    when: (g) => g.value.passwordOption !== undefined && !g.value.generate,
    problem: `only applies with ${Inputs.GeneratePassword}: true`
  },
  ...VALUE_SOURCES.map((source): Rule => ({
    input: source,
    when: (g) => g.mode !== 'put' && g.value.sources.includes(source),
    problem: (g) => `only applies to mode put (mode is ${g.mode ?? 'invalid'})`
  })),
  {
    input: (g) => g.value.sources[0] ?? Inputs.SecretString,
    when: (g) => g.mode === 'put' && g.value.sources.length !== 1,
    problem: (g) =>
      `mode put needs exactly one of secret-string, secret-file or generate-password: true; ` +
      (g.value.sources.length === 0 ? 'none is set' : `${g.value.sources.join(' and ')} are all set`)
  },
  { input: Inputs.JsonKey, when: (g) => g.jsonKey !== undefined && g.mode !== 'put', problem: 'only applies to mode put' },
  {
    input: Inputs.RotationLambdaArn,
    when: (g) => g.rotationLambdaArn !== undefined && g.mode !== 'rotate',
    problem: 'only applies to mode rotate'
  },
  {
    input: Inputs.RollbackOnFailure,
    when: (g) => g.rollbackOnFailure && g.mode === 'rotate',
    problem: 'only applies to mode put: after a rotation the previous password may no longer be valid, so moving back to it is not safe'
  },
  {
    input: Inputs.RollbackOnFailure,
    when: (g) => g.rollbackOnFailure && g.mode === 'redeploy',
    problem: 'only applies to mode put: mode redeploy changes no secret'
  },
  {
    // With a mode that is not one, as with put: the rule it would meet if it were.
    input: Inputs.RollbackOnFailure,
    when: (g) => g.rollbackOnFailure && (g.mode ?? 'put') === 'put' && !g.waitForServiceStability,
    problem: `${WAIT}, or no failure can be seen`
  },
  {
    input: Inputs.Clusters,
    when: (g) => g.discover && g.clusters === 0 && g.clusterErrors === 0,
    problem: `required with ${Inputs.DiscoverServices}: true: list the clusters to search, one a line`
  },
  { input: Inputs.Clusters, when: (g) => !g.discover && g.clusters > 0, problem: `only applies with ${Inputs.DiscoverServices}: true` },
  {
    input: Inputs.DiscoverServices,
    when: (g) => g.discover && !g.secretId,
    problem: `needs ${Inputs.SecretId}: discovery looks for services that read it`
  },
  {
    input: Inputs.RollbackOnFailure,
    when: (g) => g.rollbackOnFailure && g.mode === 'put' && g.services === 0 && !g.discover,
    problem: `needs ${Inputs.Services}: only a failed deployment triggers it`
  },
  {
    input: Inputs.Services,
    when: (g) => g.mode === 'redeploy' && g.services === 0 && g.serviceErrors === 0 && !g.discover,
    problem: `required with mode redeploy: list at least one cluster/service, or use ${Inputs.DiscoverServices}`
  },
  {
    input: Inputs.VerifyRollout,
    when: (g) => g.verifyRolloutGiven && g.verifyRollout && !g.waitForServiceStability,
    problem: `${WAIT} (tasks are checked once their deployment has rolled out)`
  },
  {
    input: Inputs.WaitUntil,
    when: (g) => g.waitUntil === 'traffic-shifted' && !g.waitForServiceStability,
    problem: `${WAIT}: it says how long to wait`
  },
  {
    input: Inputs.IfRotationInProgress,
    when: (g) => g.ifRotationInProgress === 'wait' && g.mode !== 'rotate',
    problem: 'wait only applies to mode rotate'
  },
  {
    input: Inputs.IfRotationDisabled,
    when: (g) => g.ifRotationDisabled === 'enable' && g.mode !== 'rotate',
    problem: 'enable only applies to mode rotate'
  },
  {
    input: Inputs.FailureIssueMention,
    when: (g) => g.trackingIssue.mentions > 0 && !g.trackingIssue.failureIssue,
    problem: `only applies with ${Inputs.FailureIssue}: true`
  },
  {
    input: Inputs.GithubToken,
    when: (g) => g.trackingIssue.failureIssue && !g.trackingIssue.token,
    problem: `required with ${Inputs.FailureIssue}: true: leave it unset to use the job's token (\`\${{ github.token }}\`)`
  }
]

/** The rules `given` breaks, in the table's order, each naming its input. */
export function brokenRules(given: Given, rules: readonly Rule[] = RULES): { input: string; message: string }[] {
  return rules
    .filter((rule) => rule.when(given))
    .map((rule) => ({
      input: typeof rule.input === 'string' ? rule.input : rule.input(given),
      message: typeof rule.problem === 'string' ? rule.problem : rule.problem(given)
    }))
}
