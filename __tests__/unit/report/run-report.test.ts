import { describe, expect, it } from '@jest/globals'
import { outcome, secretResult } from '../../../__fixtures__/report.js'
import type { ServiceStatus } from '../../../src/ecs/outcome.js'
import { failedServices, resultOf, runUrl, type RunReport } from '../../../src/report/run-report.js'

const services = (...statuses: ServiceStatus[]) => statuses.map((status, i) => outcome(`prod/s${i}`, status))
const failedSecret = secretResult({ status: 'failed', versionId: undefined, reason: 'PutSecretValue failed' })
const rollback = { secret: { status: 'succeeded' as const, versionId: 'v1', fromVersionId: 'v2' }, services: services('succeeded') }

describe('resultOf', () => {
  it.each<[string, ReturnType<typeof resultOf>, Partial<RunReport>]>([
    ['every service succeeded, waited', 'succeeded', { waited: true, services: services('succeeded', 'succeeded') }],
    ['one service failed', 'failed', { waited: true, services: services('succeeded', 'failed') }],
    ['one service timed out', 'failed', { waited: true, services: services('timed-out', 'succeeded') }],
    ['started but waited for', 'failed', { waited: true, services: services('succeeded', 'started') }],
    ['started and not waited for', 'succeeded', { waited: false, services: services('started', 'succeeded') }],
    ['skipped', 'failed', { waited: false, services: services('started', 'skipped') }],
    ['no services, secret changed', 'succeeded', { waited: true, secret: secretResult() }],
    ['no services, secret change failed', 'failed', { waited: true, secret: failedSecret }],
    ['services fine, secret change failed', 'failed', { waited: false, secret: failedSecret, services: services('started') }],
    ['a stopping error', 'failed', { waited: true, services: services('succeeded'), error: { title: 'Redeploy', message: 'x' } }],
    ['a rollback that succeeded', 'failed', { waited: true, secret: secretResult(), services: services('succeeded'), rollback }],
    ['a dry run', 'planned', { waited: true, plan: {}, services: services('planned') }],
    [
      'a dry run stopped by an error',
      'failed',
      { waited: true, plan: {}, services: services('planned'), error: { title: 'x', message: 'y' } }
    ],
    ['nothing at all', 'succeeded', { waited: true }]
  ])('%s: %s', (_, expected, fields) => {
    expect(resultOf({ services: [], waited: true, ...fields })).toBe(expected)
  })
})

describe('failedServices', () => {
  it.each<[ServiceStatus, boolean]>([
    ['failed', true],
    ['timed-out', true],
    ['succeeded', false],
    ['started', false],
    ['skipped', false],
    ['planned', false]
  ])('%s counts as failed: %s', (status, failed) => {
    const report: RunReport = { waited: true, services: [outcome('prod/ok', 'succeeded'), outcome('prod/x', status)] }
    expect(failedServices(report).map((s) => s.ref.label)).toEqual(failed ? ['prod/x'] : [])
  })

  it('keeps the input order and ignores the rollback round', () => {
    const report: RunReport = {
      waited: true,
      services: [outcome('prod/b', 'timed-out'), outcome('prod/a', 'succeeded'), outcome('prod/c', 'failed')],
      rollback: { secret: rollback.secret, services: [outcome('prod/b', 'failed')] }
    }
    expect(failedServices(report).map((s) => s.ref.label)).toEqual(['prod/b', 'prod/c'])
  })
})

describe('runUrl', () => {
  it('links the run attempt on the server it ran on', () => {
    expect(runUrl({ id: '7', attempt: '2', repository: 'acme/infra', serverUrl: 'https://ghe.example.com' })).toBe(
      'https://ghe.example.com/acme/infra/actions/runs/7/attempts/2'
    )
  })

  it.each([
    ['outside a runner', { attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com' }],
    ['without a repository', { id: '7', attempt: '1', serverUrl: 'https://github.com' }],
    ['without run context', undefined]
  ])('is absent %s', (_, run) => {
    expect(runUrl(run)).toBeUndefined()
  })
})
