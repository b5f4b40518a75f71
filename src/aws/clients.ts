import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { ECSClient } from '@aws-sdk/client-ecs'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { StandardRetryStrategy } from '@smithy/core/retry'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider, RetryErrorInfo, StandardRetryToken } from '@smithy/types'
import pLimit from 'p-limit'
import { USER_AGENT } from '../constants.js'
import type { ApiBudget } from './api-budget.js'
import { withApiBudget } from './budget-middleware.js'
import { errorName } from './errors.js'
import type { RefreshableCredentials } from './oidc-credentials.js'
import { placeKey, type Place } from './place.js'

/**
 * The SDK's standard retry strategy retries throttling, 5xx and dropped connections with
 * capped, jittered backoff, and never retries AccessDenied or validation errors.
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL[_<SERVICE>] variables; none is set here.
 */
const RETRY = { maxAttempts: 8, retryMode: 'standard' } as const
/**
 * ECS writes go through a client of their own, paced at ECS's published write rate by the API
 * budget, in adaptive mode: its rate limiter also learns a lower rate from throttling when other
 * tools write in the account. Reads keep a client of their own, so polling is not slowed to the
 * write rate.
 */
const ADAPTIVE = { maxAttempts: 8, retryMode: 'adaptive' } as const

/**
 * Secrets Manager answers LimitExceededException when a write would pass a quota (most often
 * the number of versions a secret keeps). The SDK counts that name as throttling and retries
 * it, but waiting seconds does not bring a version quota down: fail at once, so the run says why.
 */
export class QuotaAwareRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    if (errorName(errorInfo.error) === 'LimitExceededException') throw errorInfo.error
    return super.refreshRetryTokenForRetry(token, errorInfo)
  }
}

export interface AwsClients {
  secretsManager(region: string): SecretsManagerClient
  /** For reads: DescribeServices, ListTasks, DescribeTasks. */
  ecs(place: Place): ECSClient
  /** For UpdateService. */
  ecsWriter(place: Place): ECSClient
  /** For services whose deployment controller is CODE_DEPLOY. */
  codedeploy(place: Place): CodeDeployClient
}

type Credentials = AwsCredentialIdentityProvider | RefreshableCredentials

/**
 * One client per service and place (region, and account when it is another), sharing one
 * credentials provider per account: the main one (undefined = SDK default chain), or for a place
 * in another account the one `accountCredentials` gives (a role assumed in that account). All ECS
 * clients share one cap of `maxEcsInFlight` requests on the wire; reads also wait for the API
 * budget, when there is one, and writes are paced at ECS's own rate.
 */
export function createClients(
  credentials?: Credentials,
  maxEcsInFlight = 10,
  accountCredentials: (account: string) => Credentials | undefined = () => undefined,
  budget?: ApiBudget
): AwsClients {
  const secrets = new Map<string, SecretsManagerClient>()
  const ecs = new Map<string, ECSClient>()
  const ecsWriters = new Map<string, ECSClient>()
  const codedeploys = new Map<string, CodeDeployClient>()
  const credentialsFor = (account?: string) => (account ? accountCredentials(account) : undefined) ?? credentials
  const config = (region: string, retry: typeof RETRY | typeof ADAPTIVE = RETRY, account?: string) => ({
    region,
    credentials: credentialsFor(account),
    customUserAgent: USER_AGENT,
    ...retry
  })
  const inFlight = pLimit(maxEcsInFlight)
  const prepare = <C extends SecretsManagerClient | ECSClient | CodeDeployClient>(client: C, account?: string): C => {
    const used = credentialsFor(account)
    if (used && 'invalidate' in used) refreshOnExpiredToken(client, used as RefreshableCredentials)
    if (client instanceof ECSClient) capInFlight(client, inFlight)
    return client
  }
  const budgeted = <C extends ECSClient | CodeDeployClient>(client: C, place: Place, service: 'ecs' | 'codedeploy'): C => {
    if (budget) withApiBudget(client, budget, place, service)
    return client
  }
  return {
    secretsManager: (region) =>
      cached(secrets, region, () =>
        prepare(new SecretsManagerClient({ ...config(region), retryStrategy: new QuotaAwareRetryStrategy(RETRY.maxAttempts) }))
      ),
    ecs: (place) =>
      cached(ecs, placeKey(place), () =>
        budgeted(prepare(new ECSClient(config(place.region, RETRY, place.account)), place.account), place, 'ecs')
      ),
    ecsWriter: (place) =>
      cached(ecsWriters, placeKey(place), () =>
        budgeted(prepare(new ECSClient(config(place.region, ADAPTIVE, place.account)), place.account), place, 'ecs')
      ),
    codedeploy: (place) =>
      cached(codedeploys, placeKey(place), () =>
        budgeted(prepare(new CodeDeployClient(config(place.region, RETRY, place.account)), place.account), place, 'codedeploy')
      )
  }
}

/**
 * Holds a slot only while a request is on the wire: added after the retry step, so neither a
 * backoff between attempts nor the adaptive rate limiter's wait keeps a slot from other calls.
 */
function capInFlight(client: ECSClient, inFlight: ReturnType<typeof pLimit>): void {
  client.middlewareStack.add((next) => (args) => inFlight(() => next(args)), {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'secretRolloutCapInFlight'
  })
}

const EXPIRED = ['ExpiredTokenException', 'ExpiredToken']

/**
 * A session can end before its stated expiry (revoked, or clocks disagree). The SDK does not
 * retry ExpiredTokenException, so assume the role again and send the request once more.
 * Added at the initialize step, so the retry resolves credentials and signs anew.
 */
function refreshOnExpiredToken(client: SecretsManagerClient | ECSClient | CodeDeployClient, credentials: RefreshableCredentials): void {
  ;(client.middlewareStack as { add: SecretsManagerClient['middlewareStack']['add'] }).add(
    (next) => async (args) => {
      try {
        return await next(args)
      } catch (error) {
        if (!EXPIRED.includes(errorName(error) ?? '')) throw error
        credentials.invalidate()
        return next(args)
      }
    },
    { step: 'initialize', name: 'secretRolloutRefreshExpiredCredentials', priority: 'high' }
  )
}

/** STS for the main session: without credentials for AssumeRoleWithWebIdentity, with them for AssumeRole. */
export function createStsClient(region: string, credentials?: Credentials): STSClient {
  return new STSClient({ region, credentials, customUserAgent: USER_AGENT, ...RETRY })
}

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key)
  if (!value) map.set(key, (value = make()))
  return value
}
