import { parse as parseArn } from '@aws-sdk/util-arn-parser'
import { refuseUnlistedAccount } from '../aws/allowed-accounts.js'
import { ApiBudget } from '../aws/api-budget.js'
import { createClients, createStsClient, type AwsClients } from '../aws/clients.js'
import { callerAccount, crossAccountProvider, ROLE_CHAINING_MAX_SECONDS } from '../aws/cross-account.js'
import { oidcCredentialsProvider, type RefreshableCredentials } from '../aws/oidc-credentials.js'
import type { StageContext } from '../run/context.js'
import { checkOnceAccountKnown, defaultSessionName, type Settings } from '../settings/index.js'

export interface Credentials {
  clients: AwsClients
  /** The share of ECS's read buckets the run's reads wait for (reported with what they took). */
  budget: ApiBudget
  /** The credentials' account, once services or clusters in several accounts made it matter. */
  mainAccount?: string
}

/**
 * Credentials and accounts: the role assumed with the job's OIDC token (or the environment's
 * credentials), then each cross-account role, all now, so a trust problem stops the run before
 * any write; and the clients built on them.
 */
export async function credentialsStage(
  ctx: StageContext,
  settings: Settings,
  getIDToken: (audience: string) => Promise<string>
): Promise<Credentials> {
  const credentials = await mainCredentials(ctx, settings, getIDToken)
  // allowed-account-ids: a role's account was checked with the inputs; the environment's is known only from STS.
  if (!settings.role && settings.allowedAccountIds.length > 0) {
    refuseUnlistedAccount(await callerAccount(createStsClient(settings.region)), settings.allowedAccountIds)
  }
  const accounts = await otherAccounts(ctx, settings, credentials)
  const budget = new ApiBudget(settings.apiBudgetPercent, ctx.clock)
  const clients = createClients(credentials, settings.maxConcurrency, accounts?.credentials, budget)
  return { clients, budget, mainAccount: accounts?.main }
}

async function mainCredentials(
  ctx: StageContext,
  settings: Settings,
  getIDToken: (audience: string) => Promise<string>
): Promise<RefreshableCredentials | undefined> {
  if (!settings.role) {
    ctx.log.info('No role-to-assume: using the credentials already in the environment')
    return undefined
  }
  const provider = oidcCredentialsProvider(settings.role, {
    getIDToken,
    sts: createStsClient(settings.region),
    mask: ctx.log.mask,
    env: ctx.env,
    clock: ctx.clock
  })
  // Assume the role now, so a trust-policy problem stops the step before anything else.
  await provider()
  ctx.log.info(`Assumed role ${settings.role.arn} as session ${settings.role.sessionName}`)
  return provider
}

/**
 * Credentials for services and clusters in other accounts: each role of cross-account-roles
 * assumed from the main session now, once the inputs that needed the account have passed.
 */
async function otherAccounts(
  ctx: StageContext,
  settings: Settings,
  credentials: RefreshableCredentials | undefined
): Promise<{ main: string; credentials: (account: string) => RefreshableCredentials | undefined } | undefined> {
  const accounts = [...settings.services, ...settings.discoverIn].map((r) => r.account).filter((a): a is string => Boolean(a))
  if (accounts.length === 0 && settings.crossAccountRoles.size === 0) return undefined
  const sts = createStsClient(settings.region, credentials)
  const main = settings.role ? parseArn(settings.role.arn).accountId : await callerAccount(sts)
  // Input checks that need the account: they live in settings/ and throw InputError ("Invalid input").
  checkOnceAccountKnown(settings, main)
  const providers = new Map<string, RefreshableCredentials>()
  for (const [account, roleArn] of settings.crossAccountRoles) {
    const provider = crossAccountProvider(roleArn, {
      sts,
      sessionName: settings.role?.sessionName ?? defaultSessionName(settings.run),
      durationSeconds: settings.role?.durationSeconds ?? ROLE_CHAINING_MAX_SECONDS,
      clock: ctx.clock,
      mask: ctx.log.mask
    })
    await provider()
    ctx.log.info(`Assumed role ${roleArn} for account ${account}`)
    providers.set(account, provider)
  }
  return { main, credentials: (account) => (account === main ? undefined : providers.get(account)) }
}
