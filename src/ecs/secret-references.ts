/**
 * Where in a container definition a task reads a secret at launch:
 * `secrets[].valueFrom` (environment variables), `logConfiguration.secretOptions[].valueFrom`
 * (log driver options) and `repositoryCredentials.credentialsParameter` (private registry login).
 */
export type ReferenceField = 'secrets' | 'logConfiguration.secretOptions' | 'repositoryCredentials'

/** One place in a task definition that reads the secret. */
export interface SecretReference {
  container: string
  /** The environment variable, `logConfiguration.<option>`, or `repositoryCredentials`. */
  variable: string
  /** Where the reference is; absent means `secrets`. */
  field?: ReferenceField
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
  /**
   * Every region the secret can be read in: the primary and its replicas, which keep the
   * same name, account and suffix. Absent: only the ARN's region.
   */
  regions?: readonly string[]
}

/** What is known of the task that holds the reference. */
export interface ReferenceSite {
  field: ReferenceField
  /** The task's region: a name (not an ARN) is looked up there. */
  region: string
}

/** The SSM parameter path that passes a Secrets Manager secret through Parameter Store. */
export const SSM_SECRETS_MANAGER_PREFIX = '/aws/reference/secretsmanager/'

type Match = Omit<SecretReference, 'container' | 'variable' | 'field'>

/**
 * Whether a reference reads this secret, following how ECS resolves it:
 * - a Secrets Manager ARN (full, or without the random suffix), optionally followed by
 *   `:json-key:version-stage:version-id` (secrets and secretOptions only);
 * - an SSM parameter that references Secrets Manager, `/aws/reference/secretsmanager/<name>`,
 *   by name (in the task's region) or by parameter ARN; `:<selector>` after it pins a version;
 * - a bare name only in `repositoryCredentials`, where ECS takes it as a secret of the task's
 *   region. In `secrets`/`secretOptions` a bare name is an SSM parameter, never this secret.
 * Pure, so every form is easy to test.
 */
export function matchSecretReference(valueFrom: string, secret: SecretIdentity, site: ReferenceSite): Match | undefined {
  const own = arnParts(secret.arn)
  if (!own) return undefined
  const regions = secret.regions ?? [own.region]
  const readable = (partition: string, region: string, account: string) =>
    partition === own.partition && account === own.account && regions.includes(region)
  const fullName = own.resource.slice('secret:'.length)
  const isThis = (name: string) => name === fullName || name === secret.name

  if (valueFrom.startsWith('arn:')) {
    const parts = valueFrom.split(':')
    const [, partition, service, region, account] = parts
    if (service === 'ssm') {
      const parameter = parts.slice(5).join(':')
      if (!parameter.startsWith(`parameter${SSM_SECRETS_MANAGER_PREFIX}`) || !readable(partition, region, account)) return undefined
      return matchSsmReference(valueFrom, parameter.slice('parameter'.length), secret, isThis)
    }
    // arn : partition : secretsmanager : region : account : secret : name [: key : stage : id]
    if (service !== 'secretsmanager' || parts[5] !== 'secret' || !readable(partition, region, account)) return undefined
    if (!isThis(parts[6] ?? '')) return undefined
    if (site.field === 'repositoryCredentials') return parts.length === 7 ? { valueFrom, pinned: false } : undefined
    return withVersion(valueFrom, parts.slice(7))
  }
  if (!regions.includes(site.region)) return undefined
  if (valueFrom.startsWith(SSM_SECRETS_MANAGER_PREFIX) && site.field !== 'repositoryCredentials') {
    return matchSsmReference(valueFrom, valueFrom, secret, isThis)
  }
  if (site.field === 'repositoryCredentials' && isThis(valueFrom)) return { valueFrom, pinned: false }
  return undefined
}

/**
 * `/aws/reference/secretsmanager/<secret id>[:<selector>]`: the id is the secret's name or
 * ARN; a selector (`name:<version>`, the way GetParameter picks a version) pins it.
 */
function matchSsmReference(valueFrom: string, path: string, secret: SecretIdentity, isThis: (name: string) => boolean): Match | undefined {
  const id = path.slice(SSM_SECRETS_MANAGER_PREFIX.length)
  if (id.startsWith('arn:')) {
    const parts = id.split(':')
    const own = arnParts(secret.arn)
    if (parts[2] !== 'secretsmanager' || parts[5] !== 'secret' || parts[1] !== own?.partition || parts[4] !== own.account) return undefined
    if (!(secret.regions ?? [own.region]).includes(parts[3]) || !isThis(parts[6] ?? '')) return undefined
    const versionId = parts[7] || undefined
    return { valueFrom, versionId, pinned: Boolean(versionId) }
  }
  const [name, selector] = id.split(':')
  if (!isThis(name)) return undefined
  const versionId = selector || undefined
  return { valueFrom, versionId, pinned: Boolean(versionId) }
}

/** `json-key:version-stage:version-id`, the suffix ECS accepts after a Secrets Manager ARN. */
function withVersion(valueFrom: string, rest: string[]): Match {
  const [jsonKey, versionStage, versionId] = rest.map((p) => p || undefined)
  const pinned = Boolean(versionId) || (versionStage !== undefined && versionStage !== 'AWSCURRENT')
  return { valueFrom, jsonKey, versionStage, versionId, pinned }
}

function arnParts(arn: string): { partition: string; region: string; account: string; resource: string } | undefined {
  const [prefix, partition, , region, account, ...resource] = arn.split(':')
  if (prefix !== 'arn' || resource.length === 0) return undefined
  return { partition, region, account, resource: resource.join(':') }
}
