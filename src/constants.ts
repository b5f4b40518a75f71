// Every input and output name lives here, so action.yml can be checked against the code
// and no string literal is scattered across modules.
export const Inputs = {
  AwsRegion: 'aws-region',
  RoleToAssume: 'role-to-assume',
  RoleSessionName: 'role-session-name',
  RoleDurationSeconds: 'role-duration-seconds',
  Audience: 'audience',
  Mode: 'mode',
  SecretId: 'secret-id',
  SecretString: 'secret-string',
  SecretFile: 'secret-file',
  GeneratePassword: 'generate-password',
  PasswordLength: 'password-length',
  ExcludeCharacters: 'exclude-characters',
  ExcludePunctuation: 'exclude-punctuation',
  JsonKey: 'json-key',
  RotationLambdaArn: 'rotation-lambda-arn',
  RotationTimeout: 'rotation-timeout',
  Services: 'services',
  WaitForServiceStability: 'wait-for-service-stability',
  DeploymentTimeout: 'deployment-timeout',
  MaxConcurrency: 'max-concurrency',
  ApiBudget: 'api-budget',
  RollbackOnFailure: 'rollback-on-failure',
  DiscoverServices: 'discover-services',
  Clusters: 'clusters',
  VerifyRollout: 'verify-rollout',
  DryRun: 'dry-run',
  IfRotationInProgress: 'if-rotation-in-progress',
  FailureIssue: 'failure-issue',
  GithubToken: 'github-token',
  FailureIssueMention: 'failure-issue-mention',
  WaitUntil: 'wait-until',
  IfRotationDisabled: 'if-rotation-disabled',
  CrossAccountRoles: 'cross-account-roles',
  AllowedAccountIds: 'allowed-account-ids'
} as const

export const Outputs = {
  SecretArn: 'secret-arn',
  VersionId: 'version-id',
  PreviousVersionId: 'previous-version-id',
  Services: 'services',
  FailedServices: 'failed-services',
  Result: 'result',
  Plan: 'plan'
} as const

/** What a service waits for (`wait-until`). */
export const WaitUntilValues = ['completed', 'traffic-shifted'] as const
export type WaitUntil = (typeof WaitUntilValues)[number]

export const Modes = ['rotate', 'put', 'redeploy'] as const
export type Mode = (typeof Modes)[number]

export const USER_AGENT = 'secret-rollout/0.1.0'

/** Secrets Manager's limit on one secret value (SecretString), in bytes of UTF-8. */
export const MAX_SECRET_BYTES = 65_536
