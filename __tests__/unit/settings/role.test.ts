import { describe, expect, it } from '@jest/globals'
import { problemsOf, settingsFrom } from '../../../__fixtures__/settings.js'
import { checkOnceAccountKnown, InputError } from '../../../src/settings/index.js'

const base = { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' }

describe('cross-account-roles', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/secret-rollout'
  const OTHER = 'arn:aws:ecs:eu-west-1:222222222222:service/prod/api'

  it('maps each account to its role', () => {
    const { settings } = settingsFrom({
      ...base,
      'role-to-assume': ROLE,
      services: `prod/api\n${OTHER}`,
      'cross-account-roles': '# staging\narn:aws:iam::222222222222:role/rollout  # eu accounts\narn:aws:iam::333333333333:role/rollout'
    })
    expect([...settings.crossAccountRoles]).toEqual([
      ['222222222222', 'arn:aws:iam::222222222222:role/rollout'],
      ['333333333333', 'arn:aws:iam::333333333333:role/rollout']
    ])
    expect(settings.services.map((s) => s.account)).toEqual([undefined, '222222222222'])
  })

  it('refuses a service in another account with no role, naming the account and the input, before any call', () => {
    expect(problemsOf({ ...base, 'role-to-assume': ROLE, services: OTHER })).toEqual([
      '`services`: line 1 prod/api: in account 222222222222, but the credentials are in account 123456789012 and `cross-account-roles` has no role for account 222222222222: add arn:aws:iam::222222222222:role/<role> to it'
    ])
  })

  it('refuses a bad line, two roles for one account, and a role for the main account', () => {
    expect(
      problemsOf({
        ...base,
        'role-to-assume': ROLE,
        'cross-account-roles':
          'arn:aws:iam::222222222222:role/a\narn:aws:iam::222222222222:role/b\narn:aws:iam::123456789012:role/c\nrole/d'
      })
    ).toEqual([
      '`cross-account-roles`: line 2 "arn:aws:iam::222222222222:role/b": account 222222222222 already has arn:aws:iam::222222222222:role/a',
      '`cross-account-roles`: line 3 "arn:aws:iam::123456789012:role/c": account 123456789012 is that of `role-to-assume`, whose session already reaches it',
      '`cross-account-roles`: line 4 "role/d": not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'
    ])
  })
})

describe('the checks once the account is known (no role-to-assume)', () => {
  const OTHER = 'arn:aws:ecs:eu-west-1:222222222222:service/prod/api'

  it('throws an InputError for a service in an account without a role, and for a service listed twice', () => {
    const { settings } = settingsFrom({ ...base, services: `prod/web\n${OTHER}\narn:aws:ecs:eu-west-1:111111111111:service/prod/web` })
    let thrown: unknown
    try {
      checkOnceAccountKnown(settings, '111111111111')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).problems).toEqual([
      '`services`: line 2 prod/api: in account 222222222222, but the credentials are in account 111111111111 and `cross-account-roles` has no role for account 222222222222: add arn:aws:iam::222222222222:role/<role> to it',
      '`services`: line 3: prod/web in account 111111111111 is already listed on line 1'
    ])
  })

  it('passes services in the main account and in accounts with a role', () => {
    const { settings } = settingsFrom({
      ...base,
      services: `prod/web\n${OTHER}`,
      'cross-account-roles': 'arn:aws:iam::222222222222:role/r'
    })
    expect(() => checkOnceAccountKnown(settings, '111111111111')).not.toThrow()
  })
})
