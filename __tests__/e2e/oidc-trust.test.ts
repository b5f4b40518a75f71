import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

const PINNED = 'arn:aws:iam::123456789012:role/pinned-to-production'
const KEYS = { accessKeyId: 'AKIAEMULATORSTATIC01', secretAccessKey: 'static-secret-key-do-not-print' }

const world = (extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
  secrets: [{ name: 'prod/db', value: 'keep-me-oidc-1' }],
  clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }],
  ...extra
})
const put = { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api' }
const operations = (emu: { calls: { operation: string }[] }) => emu.calls.map((c) => c.operation)

describe('OIDC that explains itself', () => {
  it("lists a refused token's claims and the condition that matches them in both sub forms, never the token", async () => {
    // The role trusts only the production environment; this job runs on main without one.
    const { run, emu } = await runScenario(world({ roles: [{ arn: PINNED, subjects: ['repo:acme/infra:environment:production'] }] }), {
      ...put,
      'role-to-assume': PINNED
    })
    expect(run.code).toBe(1)
    expect(operations(emu)).toEqual(['GetIDToken', 'AssumeRoleWithWebIdentity'])
    const [error] = errors(run)
    expect(error.title).toBe('AWS credentials')
    expect(error.message).toContain('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity.')
    expect(error.message).toContain(
      'sub=repo:acme/infra:ref:refs/heads/main, aud=sts.amazonaws.com, repository=acme/infra, repository_id=892748123, ' +
        'repository_owner_id=1342004, ref=refs/heads/main, job_workflow_ref=acme/infra/.github/workflows/rotate.yml@refs/heads/main, event_name=push.'
    )
    expect(error.message).toContain(
      '"token.actions.githubusercontent.com:sub":["repo:acme/infra:ref:refs/heads/main","repo:acme@1342004/infra@892748123:ref:refs/heads/main"]'
    )
    expect(error.message).toContain('"token.actions.githubusercontent.com:repository_id":"892748123"')
    expect(emu.sts.tokens).toHaveLength(1)
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
    expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(emu.sts.tokens[0].split('.')[2])
  }, 30_000)

  it('is trusted by a role pinned to the immutable sub of a repository created after 2026-07-15', async () => {
    const { run, emu } = await runScenario(
      world({
        oidc: { subject: 'repo:acme@1342004/infra@892748123:environment:production', providerRegistered: true },
        roles: [{ arn: PINNED, subjects: ['repo:acme@1342004/infra@892748123:environment:production'] }]
      }),
      { ...put, 'role-to-assume': PINNED }
    )
    expect(errors(run)).toEqual([])
    expect(run.outputs.result).toBe('succeeded')
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 30_000)
})

describe('allowed-account-ids', () => {
  it("refuses a role-to-assume outside the listed accounts before any call, even the token's", async () => {
    const { run, emu } = await runScenario(world(), { ...put, 'allowed-account-ids': '111111111111, 222222222222' })
    expect(run.code).toBe(1)
    expect(emu.calls).toEqual([])
    expect(errors(run)[0].message).toContain(
      '`allowed-account-ids`: `role-to-assume` is in account 123456789012, which is not listed (111111111111, 222222222222)'
    )
  }, 30_000)

  it('refuses environment credentials in an account not listed after GetCallerIdentity alone, and writes nothing', async () => {
    const { run, emu } = await runScenario(
      world({ staticCredentials: [KEYS] }),
      { ...put, 'role-to-assume': '', 'allowed-account-ids': '111111111111' },
      { env: (e) => ({ AWS_ENDPOINT_URL: e.url, AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey }) }
    )
    expect(run.code).toBe(1)
    expect(operations(emu)).toEqual(['GetCallerIdentity'])
    expect(errors(run)[0].message).toContain(
      '`allowed-account-ids`: the credentials are in account 123456789012, which is not listed (111111111111)'
    )
    expect(emu.secrets.valueOf('prod/db')).toBe('keep-me-oidc-1')
  }, 30_000)

  it('lets a run in a listed account go on as usual', async () => {
    const { run, emu } = await runScenario(world(), { ...put, 'allowed-account-ids': '111111111111\n123456789012' })
    expect(errors(run)).toEqual([])
    expect(run.outputs.result).toBe('succeeded')
    expect(emu.count('UpdateService')).toBe(1)
  }, 30_000)
})
