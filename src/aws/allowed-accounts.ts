import { Inputs } from '../constants.js'

/**
 * `allowed-account-ids`: 12-digit account ids, separated by commas, spaces or new lines. The
 * accounts known from the inputs (that of `role-to-assume`, those of `cross-account-roles`) are
 * checked here, before any AWS call; the account of credentials from the environment is checked
 * by `refuseUnlistedAccount` once STS has said which it is.
 */
export function readAllowedAccounts(
  text: string,
  roleArn: string | undefined,
  crossAccountRoles: ReadonlyMap<string, string>,
  bad: (name: string, message: string) => void
): string[] {
  const ids = text
    .replace(/#.*$/gm, '')
    .split(/[\s,]+/)
    .filter(Boolean)
  const wrong = ids.filter((id) => !/^\d{12}$/.test(id))
  if (wrong.length > 0) {
    bad(Inputs.AllowedAccountIds, `${wrong.map((id) => `"${id}"`).join(', ')}: an account id is 12 digits`)
    return ids
  }
  if (ids.length === 0) return ids
  const roleAccount = roleArn?.split(':')[4]
  if (roleAccount && /^\d{12}$/.test(roleAccount) && !ids.includes(roleAccount)) {
    bad(Inputs.AllowedAccountIds, notListed(`\`${Inputs.RoleToAssume}\` is in account ${roleAccount}`, ids))
  }
  for (const [account, arn] of crossAccountRoles) {
    if (!ids.includes(account))
      bad(Inputs.AllowedAccountIds, notListed(`\`${Inputs.CrossAccountRoles}\` role ${arn} is in account ${account}`, ids))
  }
  return ids
}

/** Stops the run when the credentials' account is not one of `allowed-account-ids`. */
export function refuseUnlistedAccount(account: string, allowed: readonly string[]): void {
  if (allowed.length > 0 && !allowed.includes(account)) {
    throw new AccountNotAllowedError(`\`${Inputs.AllowedAccountIds}\`: ${notListed(`the credentials are in account ${account}`, allowed)}`)
  }
}

export class AccountNotAllowedError extends Error {
  override name = 'AccountNotAllowedError'
}

const notListed = (what: string, allowed: readonly string[]) =>
  `${what}, which is not listed (${allowed.join(', ')}): nothing was read or written; check the inputs, or add the account if it is the right one`
