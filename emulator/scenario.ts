import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'

// A scenario is data: the account's secrets, clusters and services, how each rotation and
// deployment behaves over time, and the faults to inject. Times are milliseconds of real time.

const RotationSchema = z.object({
  lambdaArn: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Time from RotateSecret to finishSecret. */
  durationMs: z.number().int().nonnegative().default(1000),
  /** succeed; fail at setSecret/testSecret (AWSPENDING stays); hang (never finishes). */
  outcome: z.enum(['succeed', 'fail', 'hang']).default('succeed')
})

const SecretSchema = z.object({
  name: z.string(),
  value: z.string(),
  previousValue: z.string().optional(),
  rotation: RotationSchema.optional(),
  /** A rotation started earlier and not finished: a version carrying AWSPENDING, which ends as `rotation` says. */
  rotationInProgress: z.boolean().default(false),
  deleted: z.boolean().default(false)
})

const ServiceSchema = z.object({
  name: z.string(),
  desiredCount: z.number().int().nonnegative().default(2),
  taskDefinition: z.string().default('app:1'),
  status: z.enum(['ACTIVE', 'DRAINING', 'INACTIVE']).default('ACTIVE'),
  /** Time a forced deployment takes to complete (or to fail, for circuit-breaker). */
  deploymentMs: z.number().int().nonnegative().default(2000),
  /** complete; circuit-breaker (fails, rolls back to the previous deployment); stuck (never stabilises). */
  outcome: z.enum(['complete', 'circuit-breaker', 'stuck']).default('complete'),
  /** Why the new tasks stop, for circuit-breaker and stuck services. */
  /** One task of the old deployment keeps running after the new one completes (it fails a rollout proof). */
  straggler: z.boolean().default(false),
  stoppedReason: z
    .string()
    .default(
      'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: AccessDeniedException'
    )
})

const ClusterSchema = z.object({
  name: z.string(),
  region: z.string().optional(),
  services: z.array(ServiceSchema).default([])
})

const TaskDefinitionSchema = z.object({
  family: z.string(),
  revision: z.number().int().positive(),
  containers: z
    .array(
      z.object({
        name: z.string(),
        secrets: z.array(z.object({ name: z.string(), valueFrom: z.string() })).default([])
      })
    )
    .default([])
})

const RoleSchema = z.object({
  arn: z.string(),
  audience: z.string().default('sts.amazonaws.com'),
  /** When set, sessions last this long whatever DurationSeconds asks (tests of credential refresh). */
  sessionSeconds: z.number().int().positive().optional(),
  /** The endpoint ends sessions after this long while telling the client the full expiry (revoked, or clocks disagree). */
  revokeAfterSeconds: z.number().positive().optional()
})

const OperationPattern = z.string().default('*')

const FaultRuleSchema = z.object({
  /** An operation name (DescribeServices), a service prefix (ecs:*, secretsmanager:*, sts:*) or *. */
  operation: OperationPattern,
  /** drop: the connection closes before the call is handled; drop-after: after (the write happened, the answer is lost). */
  kind: z.enum(['throttle', '5xx', 'drop', 'drop-after', 'latency']),
  /** Which calls of each matching operation get the fault: every Nth, the first N, or seeded chance. */
  every: z.number().int().positive().optional(),
  first: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().nonnegative().default(2000)
})

const TokenBucketSchema = z.object({
  operation: OperationPattern,
  ratePerSecond: z.number().positive(),
  burst: z.number().int().positive()
})

export const ScenarioSchema = z.object({
  name: z.string().default('scenario'),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .default('123456789012'),
  region: z.string().default('eu-west-1'),
  seed: z.number().int().default(1),
  oidc: z
    .object({ subject: z.string().default('repo:acme/infra:ref:refs/heads/main') })
    .default({ subject: 'repo:acme/infra:ref:refs/heads/main' }),
  /** Access keys accepted without STS, for runs without role-to-assume. */
  staticCredentials: z.array(z.object({ accessKeyId: z.string(), secretAccessKey: z.string() })).default([]),
  roles: z.array(RoleSchema).default([]),
  secrets: z.array(SecretSchema).default([]),
  clusters: z.array(ClusterSchema).default([]),
  taskDefinitions: z.array(TaskDefinitionSchema).default([]),
  faults: z.array(FaultRuleSchema).default([]),
  throttling: z.array(TokenBucketSchema).default([])
})

export type Scenario = z.infer<typeof ScenarioSchema>
export type ScenarioInput = z.input<typeof ScenarioSchema>
export type SecretSpec = z.infer<typeof SecretSchema>
export type ServiceSpec = z.infer<typeof ServiceSchema>
export type FaultRule = z.infer<typeof FaultRuleSchema>
export type TokenBucketSpec = z.infer<typeof TokenBucketSchema>

export function parseScenario(input: unknown): Scenario {
  const result = ScenarioSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid scenario: ${z.prettifyError(result.error)}`)
  return result.data
}

/** Loads a scenario from a .yaml/.yml/.json file. */
export function loadScenario(path: string): Scenario {
  return parseScenario(parseYaml(readFileSync(path, 'utf8')))
}
