/** The pipeline's stages, in order; a stopped or cancelled run names the one it was in. */
export const Stage = {
  Input: 'Invalid input',
  Credentials: 'AWS credentials',
  SecretPrecheck: 'Secret pre-check',
  Discovery: 'Service discovery',
  Preflight: 'Service preflight',
  SecretChange: 'Secret change',
  Redeploy: 'Redeploy',
  Wait: 'Wait for deployments',
  Rollback: 'Rollback'
} as const

export type Stage = (typeof Stage)[keyof typeof Stage]
