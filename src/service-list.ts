import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser'
import { isRegion, partitionProblem } from './aws/place.js'

/** One ECS service named in the `services` input. */
export interface ServiceRef {
  /** What the ECS API is given as `cluster`: the name, or the ARN when the user gave one. */
  cluster: string
  clusterName: string
  service: string
  /** The ARN's region when the line was an ARN, otherwise `aws-region`. */
  region: string
  /** The ARN's account when the line was an ARN (undefined: the credentials' own account). */
  account?: string
  /** `cluster/service`, how the service is named in logs, annotations and outputs. */
  label: string
  line: number
}

// ECS names: up to 255 letters, digits, hyphens and underscores.
const NAME = /^[A-Za-z0-9_-]{1,255}$/

/**
 * Parses the `services` input: one service a line (or several, separated by spaces or commas),
 * as `cluster/service`, a service ARN (`arn:aws:ecs:region:account:service/cluster/service`) or
 * a cluster ARN followed by `/service`. `#` starts a comment; blank lines are ignored. Returns
 * every problem at once. `defaultAccount` (when known) is the account of entries without an ARN.
 */
export function parseServiceList(
  text: string,
  defaultRegion: string,
  defaultAccount?: string
): { services: ServiceRef[]; errors: string[] } {
  const services: ServiceRef[] = []
  const errors: string[] = []
  const seen = new Map<string, number>()

  const entries = text.split(/\r?\n/).flatMap((rawLine, index) =>
    // Several entries may share a line, separated by spaces or commas (a workflow_dispatch text box has no newlines).
    rawLine
      .replace(/#.*$/, '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((entry) => ({ entry, line: index + 1 }))
  )
  for (const { entry, line } of entries) {
    const parsed = parseEntry(entry, defaultRegion)
    if (typeof parsed === 'string') {
      errors.push(`line ${line} "${entry}": ${parsed}`)
      continue
    }
    // The same cluster and service names in two accounts are two services.
    const key = serviceKey(parsed, defaultAccount)
    const first = seen.get(key)
    if (first !== undefined) {
      errors.push(`line ${line} "${entry}": ${parsed.clusterName}/${parsed.service} is already listed on line ${first}`)
      continue
    }
    seen.set(key, line)
    services.push({ ...parsed, label: `${parsed.clusterName}/${parsed.service}`, line })
  }
  return { services, errors }
}

/** One key per service: the same names in another region are another service. */
export function serviceKey(ref: Pick<ServiceRef, 'account' | 'region' | 'clusterName' | 'service'>, mainAccount?: string): string {
  return `${ref.account ?? mainAccount ?? ''}/${ref.region}/${ref.clusterName}/${ref.service}`
}

/** One ECS cluster named in the `clusters` input (for discovery). */
export interface ClusterRef {
  cluster: string
  clusterName: string
  region: string
  /** The ARN's account when the line was an ARN. */
  account?: string
  line: number
}

/**
 * Parses the `clusters` input: cluster names or ARNs, one a line or several separated by spaces or
 * commas, `#` comments and blank lines
 * ignored. `defaultAccount` (when known) is the account of clusters given by name.
 */
export function parseClusterList(
  text: string,
  defaultRegion: string,
  defaultAccount?: string
): { clusters: ClusterRef[]; errors: string[] } {
  const clusters: ClusterRef[] = []
  const errors: string[] = []
  const entries = text.split(/\r?\n/).flatMap((rawLine, index) =>
    // Several clusters may share a line, separated by spaces or commas, as services may.
    rawLine
      .replace(/#.*$/, '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((entry) => ({ entry, line: index + 1 }))
  )
  entries.forEach(({ entry, line }) => {
    let parsed: ClusterRef | string
    if (entry.startsWith('arn:')) {
      const arn = isArn(entry) ? parseArn(entry) : undefined
      const name = arn?.resource.startsWith('cluster/') ? arn.resource.slice('cluster/'.length) : ''
      parsed =
        arn && arn.service === 'ecs' && NAME.test(name) && isRegion(arn.region)
          ? (partitionProblem(arn.partition, arn.region) ?? {
              cluster: entry,
              clusterName: name,
              region: arn.region,
              account: arn.accountId,
              line
            })
          : 'not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)'
    } else {
      parsed = NAME.test(entry)
        ? { cluster: entry, clusterName: entry, region: defaultRegion, line }
        : 'not a cluster name (letters, digits, - and _)'
    }
    if (typeof parsed === 'string') errors.push(`line ${line} "${entry}": ${parsed}`)
    else if (
      clusters.some(
        (c) =>
          c.region === parsed.region &&
          (c.account ?? defaultAccount) === (parsed.account ?? defaultAccount) &&
          c.clusterName === parsed.clusterName
      )
    )
      errors.push(`line ${line} "${entry}": listed twice`)
    else clusters.push(parsed)
  })
  return { clusters, errors }
}

type ParsedEntry = Omit<ServiceRef, 'label' | 'line'>

function parseEntry(entry: string, defaultRegion: string): ParsedEntry | string {
  if (entry.startsWith('arn:')) return parseArnEntry(entry)
  const parts = entry.split('/')
  if (parts.length !== 2) return 'expected cluster/service or a service ARN'
  const [clusterName, service] = parts
  if (!NAME.test(clusterName)) return `"${clusterName}" is not a valid cluster name (letters, digits, - and _, up to 255)`
  if (!NAME.test(service)) return `"${service}" is not a valid service name (letters, digits, - and _, up to 255)`
  return { cluster: clusterName, clusterName, service, region: defaultRegion }
}

function parseArnEntry(entry: string): ParsedEntry | string {
  if (!isArn(entry)) return 'not a valid ARN'
  const arn = parseArn(entry)
  if (arn.service !== 'ecs') return `an ARN of service "${arn.service}", expected an ECS service ARN`
  if (!isRegion(arn.region)) return `"${arn.region}" is not a valid region in the ARN`
  const wrongPartition = partitionProblem(arn.partition, arn.region)
  if (wrongPartition) return wrongPartition
  if (!/^\d{12}$/.test(arn.accountId)) return `"${arn.accountId}" is not a valid account id in the ARN`
  const [kind, clusterName, service, ...rest] = arn.resource.split('/')
  if (kind !== 'service' && kind !== 'cluster') return `ARN resource "${arn.resource}" is neither service/... nor cluster/...`
  if (kind === 'service' && service === undefined) {
    return 'an old-format service ARN without the cluster name; write cluster/service or the new ARN format'
  }
  if (service === undefined || rest.length > 0) return `expected ${kind}/<cluster>/<service> in the ARN`
  if (!NAME.test(clusterName ?? '')) return `"${clusterName}" is not a valid cluster name`
  if (!NAME.test(service)) return `"${service}" is not a valid service name`
  const clusterArn = `arn:${arn.partition}:ecs:${arn.region}:${arn.accountId}:cluster/${clusterName}`
  return { cluster: clusterArn, clusterName, service, region: arn.region, account: arn.accountId }
}

/**
 * Entries that name the same service or cluster once the credentials' account is known: without
 * `role-to-assume`, `prod/api` and its ARN look different when the input is read. Same words
 * as the input check, so the user sees one rule.
 */
export function sameOnceAccountKnown(
  refs: readonly { account?: string; region: string; clusterName: string; service?: string; line: number }[],
  mainAccount: string
): string[] {
  const seen = new Map<string, number>()
  const problems: string[] = []
  for (const ref of refs) {
    const key = `${ref.account ?? mainAccount}/${ref.region}/${ref.clusterName}/${ref.service ?? ''}`
    const first = seen.get(key)
    const what = ref.service === undefined ? `cluster ${ref.clusterName}` : `${ref.clusterName}/${ref.service}`
    if (first !== undefined) problems.push(`line ${ref.line}: ${what} in account ${mainAccount} is already listed on line ${first}`)
    else seen.set(key, ref.line)
  }
  return problems
}
