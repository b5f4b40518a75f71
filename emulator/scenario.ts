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
  deleted: z.boolean().default(false),
  /** The AWS service that manages the secret (DescribeSecret's OwningService), e.g. rds; its rotation needs no Lambda. */
  owningService: z.string().optional(),
  /** Versions created in the last 24 hours the secret may hold before a write answers LimitExceededException. */
  versionQuota: z.number().int().positive().default(100),
  /** The primary region (default: the scenario's). */
  region: z.string().optional(),
  /** The account that owns the secret (default: the scenario's). */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Replicas in other regions: each sees every change lagMs after the primary; a Failed one was never created. */
  replicas: z
    .array(
      z.object({
        region: z.string(),
        lagMs: z.number().int().nonnegative().default(0),
        status: z.enum(['InSync', 'Failed']).default('InSync'),
        statusMessage: z.string().optional()
      })
    )
    .default([])
})

const ServiceSchema = z.object({
  name: z.string(),
  desiredCount: z.number().int().nonnegative().default(2),
  taskDefinition: z.string().default('app:1'),
  status: z.enum(['ACTIVE', 'DRAINING', 'INACTIVE']).default('ACTIVE'),
  /** Time a forced deployment takes to complete (or to fail, for circuit-breaker). */
  deploymentMs: z.number().int().nonnegative().default(2000),
  /**
   * complete; circuit-breaker (tasks fail to start, rolled back to the previous deployment); stuck
   * (never stabilises); alarm (a CloudWatch alarm fires once traffic has shifted: rolled back);
   * hook-fails (a lifecycle hook answers FAILED: rolled back); paused (waits at the first
   * lifecycle hook for someone to continue it, which nobody does).
   */
  outcome: z.enum(['complete', 'circuit-breaker', 'stuck', 'alarm', 'hook-fails', 'paused']).default('complete'),
  /** Who deploys the service: ECS itself, CodeDeploy (blue/green task sets) or another tool (EXTERNAL). */
  deploymentController: z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']).default('ECS'),
  /** ECS's own strategy (deploymentConfiguration.strategy), for the ECS controller. */
  strategy: z.enum(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY']).default('ROLLING'),
  /** Time both revisions keep running after production traffic has shifted (blue/green, linear, canary). */
  bakeTimeMs: z.number().int().nonnegative().default(0),
  /** CloudWatch alarms watched during a deployment (deploymentConfiguration.alarms). */
  alarms: z.array(z.string()).default([]),
  /** Lifecycle hooks: the stage each runs at, and whether it is a Lambda function or a pause. */
  lifecycleHooks: z
    .array(
      z.object({
        stage: z.enum([
          'RECONCILE_SERVICE',
          'PRE_SCALE_UP',
          'POST_SCALE_UP',
          'TEST_TRAFFIC_SHIFT',
          'POST_TEST_TRAFFIC_SHIFT',
          'PRODUCTION_TRAFFIC_SHIFT',
          'POST_PRODUCTION_TRAFFIC_SHIFT'
        ]),
        targetType: z.enum(['AWS_LAMBDA', 'PAUSE']).default('AWS_LAMBDA')
      })
    )
    .default([]),
  /** The load balancer in front: none, an ALB/NLB target group, or a Classic Load Balancer (no rolloutState). */
  loadBalancer: z.enum(['none', 'target-group', 'classic']).default('none'),
  /** The container and port the load balancer sends traffic to (what a CodeDeploy AppSpec names). */
  container: z.object({ name: z.string(), port: z.number().int().positive() }).default({ name: 'app', port: 8080 }),
  /** Early success criteria (rolling): complete at healthyPercent, and remove the old tasks before (BLOCKING) or after (DEFERRED). */
  earlySuccess: z
    .object({
      healthyPercent: z.number().int().min(0).max(100).default(100),
      cleanup: z.enum(['BLOCKING', 'DEFERRED']).default('DEFERRED'),
      /** With DEFERRED: how long the old tasks keep running after the deployment completed. */
      cleanupMs: z.number().int().nonnegative().default(3000)
    })
    .optional(),
  /** Someone else's deployment of the service is still rolling out when the scenario starts. */
  deploymentInProgress: z.boolean().default(false),
  /** Whether the ECS service-deployment record exists for this service's deployments (older ones have none). */
  serviceDeploymentRecords: z.boolean().default(true),
  /** One task of the old deployment keeps running after the new one completes (it fails a rollout proof). */
  straggler: z.boolean().default(false),
  /** Why the new tasks stop, for circuit-breaker and stuck services. */
  stoppedReason: z
    .string()
    .default(
      'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: AccessDeniedException'
    ),
  /**
   * What ECS says when a deployment of this service fails, instead of its usual words for the
   * cause: the deployment's rolloutStateReason, the service event, and the service-deployment
   * record's statusReason. Free text, as from AWS (tests of outside text).
   */
  failureReasons: z.object({ rolloutState: z.string(), event: z.string(), serviceDeployment: z.string() }).partial().default({})
})

/** A CodeDeploy deployment group of compute platform ECS, and how its deployments go. */
const DeploymentGroupSchema = z.object({
  name: z.string(),
  /** The ECS services it deploys (ecsServices): `cluster/service`. */
  services: z.array(z.string()).default([]),
  /** Succeeded; Failed (errorInformation, a failed lifecycle event); Stopped; hang (stays InProgress). */
  outcome: z.enum(['succeed', 'fail', 'stop', 'hang']).default('succeed'),
  /** Time from CreateDeployment to the end. */
  durationMs: z.number().int().nonnegative().default(2000),
  errorCode: z.string().default('ECS_UPDATE_ERROR'),
  errorMessage: z
    .string()
    .default('The ECS service cannot be updated: the replacement task set did not reach a steady state: tasks failed to start.'),
  /** The lifecycle event that fails, for outcome fail. */
  failedLifecycleEvent: z.string().default('AfterAllowTestTraffic')
})

const CodeDeployApplicationSchema = z.object({
  name: z.string(),
  region: z.string().optional(),
  /** The account that owns it (default: the scenario's): only its credentials see it, as in CodeDeploy. */
  account: z.string().optional(),
  deploymentGroups: z.array(DeploymentGroupSchema).default([])
})

const ClusterSchema = z.object({
  name: z.string(),
  /** The account that owns the cluster (default: the scenario's): only its credentials see it. */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
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
        secrets: z.array(z.object({ name: z.string(), valueFrom: z.string() })).default([]),
        /** logConfiguration.secretOptions: secrets the log driver reads (e.g. a splunk-token). */
        logSecrets: z.array(z.object({ name: z.string(), valueFrom: z.string() })).default([]),
        /** repositoryCredentials.credentialsParameter: the private registry login. */
        repositoryCredentials: z.string().optional()
      })
    )
    .default([])
})

/** The claims of a token for a push to main of acme/infra, besides iss, aud, sub and the times. */
const OIDC_CLAIMS: Record<string, string> = {
  repository: 'acme/infra',
  repository_id: '892748123',
  repository_owner: 'acme',
  repository_owner_id: '1342004',
  ref: 'refs/heads/main',
  event_name: 'push',
  job_workflow_ref: 'acme/infra/.github/workflows/rotate.yml@refs/heads/main',
  actor: 'octocat'
}

const RoleSchema = z.object({
  arn: z.string(),
  audience: z.string().default('sts.amazonaws.com'),
  /** The trust policy's StringLike patterns for the token's sub (`*` matches anything); absent: any sub. */
  subjects: z.array(z.string()).optional(),
  /** Accounts whose sessions may sts:AssumeRole this role (its trust policy). Default: the scenario's account. */
  trustedAccounts: z.array(z.string().regex(/^\d{12}$/)).optional(),
  /** The role's MaxSessionDuration: a longer DurationSeconds is refused, as IAM does (1 hour by default). */
  maxSessionSeconds: z.number().int().min(3600).max(43200).default(3600),
  /** When set, sessions last this long whatever DurationSeconds asks (tests of credential refresh). */
  sessionSeconds: z.number().int().positive().optional(),
  /** The endpoint ends sessions after this long while telling the client the full expiry (revoked, or clocks disagree). */
  revokeAfterSeconds: z.number().positive().optional()
})

const OperationPattern = z.string().default('*')

const FaultRuleSchema = z.object({
  /** An operation name (DescribeServices), a service prefix (ecs:*, secretsmanager:*, sts:*, codedeploy:*) or *. */
  operation: OperationPattern,
  /**
   * drop: the connection closes before the call is handled; drop-after: after (the write happened,
   * the answer is lost); hang-after: handled, but no answer ever comes (as when the caller is
   * killed before it arrives); denied: AccessDenied, as when the role's policy lacks the action.
   */
  kind: z.enum(['throttle', '5xx', 'drop', 'drop-after', 'hang-after', 'latency', 'denied']),
  /** Which calls of each matching operation get the fault: every Nth, the first N, or seeded chance. */
  every: z.number().int().positive().optional(),
  first: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().nonnegative().default(2000)
})

/**
 * A token bucket like AWS's, kept per account and region. `operation` gives each matching
 * operation a bucket of its own; `operations` makes them share one, as ECS's buckets do
 * (DescribeServices and ListServices both draw on "service reads").
 */
const TokenBucketSchema = z.object({
  name: z.string().optional(),
  operation: OperationPattern,
  operations: z.array(z.string()).optional(),
  ratePerSecond: z.number().positive(),
  burst: z.number().int().positive()
})

/** The repository's issues as the local GitHub API serves them, and what the job token may do. */
const GithubSchema = z.object({
  repository: z.string().default('acme/infra'),
  /** The job token the API accepts (the runner's `github.token`). */
  token: z.string().default('ghs_emulatorJobToken0123456789'),
  /** The token's `issues` permission: `read` or `none` answer writes with 403 "Resource not accessible by integration". */
  permission: z.enum(['write', 'read', 'none']).default('write'),
  /** Labels that exist (those of the seeded issues exist too). */
  labels: z.array(z.string()).default([]),
  issues: z
    .array(
      z.object({
        title: z.string(),
        body: z.string().default(''),
        state: z.enum(['open', 'closed']).default('open'),
        labels: z.array(z.string()).default([])
      })
    )
    .default([])
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
    .object({
      subject: z.string().default('repo:acme/infra:ref:refs/heads/main'),
      /** false: the account has no IAM OIDC identity provider for token.actions.githubusercontent.com. */
      providerRegistered: z.boolean().default(true),
      /** The token's other claims, as GitHub sets them for the job (environment only for a job that names one). */
      claims: z.record(z.string(), z.string()).default(OIDC_CLAIMS)
    })
    .default({ subject: 'repo:acme/infra:ref:refs/heads/main', providerRegistered: true, claims: OIDC_CLAIMS }),
  /** Access keys accepted without STS, for runs without role-to-assume. */
  staticCredentials: z
    .array(
      z.object({
        accessKeyId: z.string(),
        secretAccessKey: z.string(),
        account: z
          .string()
          .regex(/^\d{12}$/)
          .optional()
      })
    )
    .default([]),
  roles: z.array(RoleSchema).default([]),
  secrets: z.array(SecretSchema).default([]),
  clusters: z.array(ClusterSchema).default([]),
  taskDefinitions: z.array(TaskDefinitionSchema).default([]),
  /** CodeDeploy applications (compute platform ECS) and their deployment groups. */
  codeDeployApplications: z.array(CodeDeployApplicationSchema).default([]),
  faults: z.array(FaultRuleSchema).default([]),
  throttling: z.array(TokenBucketSchema).default([]),
  github: GithubSchema.default(GithubSchema.parse({}))
})

export type Scenario = z.infer<typeof ScenarioSchema>
export type ScenarioInput = z.input<typeof ScenarioSchema>
export type SecretSpec = z.infer<typeof SecretSchema>
export type ServiceSpec = z.infer<typeof ServiceSchema>
export type DeploymentGroupSpec = z.infer<typeof DeploymentGroupSchema>
export type FaultRule = z.infer<typeof FaultRuleSchema>
export type TokenBucketSpec = z.infer<typeof TokenBucketSchema>
export type GithubSpec = z.infer<typeof GithubSchema>

export function parseScenario(input: unknown): Scenario {
  const result = ScenarioSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid scenario: ${z.prettifyError(result.error)}`)
  return result.data
}

/** Loads a scenario from a .yaml/.yml/.json file. */
export function loadScenario(path: string): Scenario {
  return parseScenario(parseYaml(readFileSync(path, 'utf8')))
}
