import { ECSClient } from '@aws-sdk/client-ecs'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { USER_AGENT } from '../constants.js'
import { errorName } from './errors.js'
import type { RefreshableCredentials } from './oidc-credentials.js'

/**
 * The SDK's standard retry strategy retries throttling, 5xx and dropped connections with
 * capped, jittered backoff, and never retries AccessDenied or validation errors.
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL[_<SERVICE>] variables; none is set here.
 */
const RETRY = { maxAttempts: 8, retryMode: 'standard' } as const

export interface AwsClients {
  secretsManager(region: string): SecretsManagerClient
  ecs(region: string): ECSClient
}

/** One client per service and region, sharing one credentials provider (undefined = SDK default chain). */
export function createClients(credentials?: AwsCredentialIdentityProvider | RefreshableCredentials): AwsClients {
  const secrets = new Map<string, SecretsManagerClient>()
  const ecs = new Map<string, ECSClient>()
  const config = (region: string) => ({ region, credentials, customUserAgent: USER_AGENT, ...RETRY })
  const prepare = <C extends SecretsManagerClient | ECSClient>(client: C): C => {
    if (credentials && 'invalidate' in credentials) refreshOnExpiredToken(client, credentials)
    return client
  }
  return {
    secretsManager: (region) => cached(secrets, region, () => prepare(new SecretsManagerClient(config(region)))),
    ecs: (region) => cached(ecs, region, () => prepare(new ECSClient(config(region))))
  }
}

const EXPIRED = ['ExpiredTokenException', 'ExpiredToken']

/**
 * A session can end before its stated expiry (revoked, or clocks disagree). The SDK does not
 * retry ExpiredTokenException, so assume the role again and send the request once more.
 * Added at the initialize step, so the retry resolves credentials and signs anew.
 */
function refreshOnExpiredToken(client: SecretsManagerClient | ECSClient, credentials: RefreshableCredentials): void {
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

export function createStsClient(region: string): STSClient {
  return new STSClient({ region, customUserAgent: USER_AGENT, ...RETRY })
}

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key)
  if (!value) map.set(key, (value = make()))
  return value
}
