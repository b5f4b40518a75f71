import { describe, expect, it } from '@jest/globals'
import { readAllowedAccounts, refuseUnlistedAccount } from '../../../src/aws/allowed-accounts.js'

function read(text: string, role?: string, roles: [string, string][] = []) {
  const problems: string[] = []
  const ids = readAllowedAccounts(text, role, new Map(roles), (name, message) => problems.push(`${name}: ${message}`))
  return { ids, problems }
}

const ROLE = 'arn:aws:iam::123456789012:role/secret-rollout'

describe('allowed-account-ids', () => {
  it('reads ids separated by commas, spaces and new lines, with comments', () => {
    expect(read('123456789012, 111111111111\n222222222222 # analytics\n', ROLE)).toEqual({
      ids: ['123456789012', '111111111111', '222222222222'],
      problems: []
    })
    expect(read('', ROLE)).toEqual({ ids: [], problems: [] })
  })

  it('refuses what is not a 12-digit id', () => {
    expect(read('12345, 123456789012, prod', ROLE).problems).toEqual(['allowed-account-ids: "12345", "prod": an account id is 12 digits'])
  })

  it("refuses role-to-assume's account and a cross-account role's account when they are not listed, before any call", () => {
    expect(read('111111111111', ROLE, [['222222222222', 'arn:aws:iam::222222222222:role/rollout']]).problems).toEqual([
      'allowed-account-ids: `role-to-assume` is in account 123456789012, which is not listed (111111111111): nothing was read or written; check the inputs, or add the account if it is the right one',
      'allowed-account-ids: `cross-account-roles` role arn:aws:iam::222222222222:role/rollout is in account 222222222222, which is not listed (111111111111): nothing was read or written; check the inputs, or add the account if it is the right one'
    ])
    expect(read('123456789012 222222222222', ROLE, [['222222222222', 'arn:aws:iam::222222222222:role/rollout']]).problems).toEqual([])
  })

  it("refuses the environment credentials' account when it is not listed, and any account when none is", () => {
    expect(() => refuseUnlistedAccount('123456789012', ['111111111111'])).toThrow(
      '`allowed-account-ids`: the credentials are in account 123456789012, which is not listed (111111111111)'
    )
    expect(() => refuseUnlistedAccount('123456789012', ['111111111111', '123456789012'])).not.toThrow()
    expect(() => refuseUnlistedAccount('123456789012', [])).not.toThrow()
  })
})
