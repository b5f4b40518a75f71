/** One container secret (`secrets[].valueFrom`) that reads the secret. */
export interface SecretReference {
  container: string
  /** The environment variable the container gets. */
  variable: string
  valueFrom: string
  jsonKey?: string
  versionStage?: string
  versionId?: string
  /** Pinned to a version or to AWSPREVIOUS: a redeploy does not give it the new value. */
  pinned: boolean
}

export interface SecretIdentity {
  /** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters> */
  arn: string
  name: string
}

/**
 * Whether a container's `valueFrom` names this secret: by full ARN, by ARN without the random
 * suffix, or by name, each optionally followed by `:json-key:version-stage:version-id`
 * (the form ECS accepts). Pure, so every form is easy to test.
 */
export function matchSecretReference(
  valueFrom: string,
  secret: SecretIdentity
): Omit<SecretReference, 'container' | 'variable'> | undefined {
  const secretParts = secret.arn.split(':')
  const fullName = secretParts.slice(6).join(':')
  let name: string
  let rest: string[]
  if (valueFrom.startsWith('arn:')) {
    const parts = valueFrom.split(':')
    // arn : partition : secretsmanager : region : account : secret : name [: key : stage : id]
    if (parts[2] !== 'secretsmanager' || parts[5] !== 'secret') return undefined
    if (parts[1] !== secretParts[1] || parts[3] !== secretParts[3] || parts[4] !== secretParts[4]) return undefined
    name = parts[6] ?? ''
    rest = parts.slice(7)
  } else {
    ;[name, ...rest] = valueFrom.split(':')
  }
  if (name !== fullName && name !== secret.name) return undefined
  const [jsonKey, versionStage, versionId] = rest.map((p) => p || undefined)
  const pinned = Boolean(versionId) || (versionStage !== undefined && versionStage !== 'AWSCURRENT')
  return { valueFrom, jsonKey, versionStage, versionId, pinned }
}
