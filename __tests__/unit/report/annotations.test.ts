import { describe, expect, it } from '@jest/globals'
import { refs } from '../../../__fixtures__/ecs.js'
import { outcome, secretResult } from '../../../__fixtures__/report.js'
import { closingNotice, errorAnnotations, warningAnnotations } from '../../../src/report/annotations.js'
import type { RunReport } from '../../../src/report/run-report.js'

const base = (fields: Partial<RunReport>): RunReport => ({ waited: true, services: [], ...fields })
const failedPut = secretResult({ status: 'failed', versionId: undefined, reason: 'PutSecretValue failed: AccessDeniedException' })

describe('errorAnnotations', () => {
  it('has none for a run where everything succeeded', () => {
    expect(errorAnnotations(base({ secret: secretResult(), services: [outcome('prod/api', 'succeeded')] }))).toEqual([])
  })

  it('names the stopping error, the failed secret change, then each failed or timed-out service', () => {
    const report = base({
      error: { title: 'Redeploy', message: 'boom' },
      secret: failedPut,
      services: [
        outcome('prod/api', 'succeeded'),
        outcome('prod/pdf', 'failed', { reason: 'deployment failed: circuit breaker' }),
        outcome('prod/cron', 'started'),
        outcome('prod/old', 'skipped', { reason: 'not redeployed' }),
        outcome('batch/slow', 'timed-out'),
        outcome('prod/plan', 'planned')
      ]
    })
    expect(errorAnnotations(report)).toEqual([
      { title: 'Redeploy', message: 'boom' },
      { title: 'secret prod/db', message: 'put failed: PutSecretValue failed: AccessDeniedException' },
      { title: 'prod/pdf', message: 'failed: deployment failed: circuit breaker' },
      { title: 'batch/slow', message: 'timed-out: no reason given' }
    ])
  })

  it('says "unknown reason" for a failed secret change without one', () => {
    expect(errorAnnotations(base({ secret: secretResult({ mode: 'rotate', status: 'failed' }) }))).toEqual([
      { title: 'secret prod/db', message: 'rotate failed: unknown reason' }
    ])
  })

  it('names a failed rollback and each service that failed again in the rollback round', () => {
    const report = base({
      secret: secretResult(),
      services: [outcome('prod/pdf', 'failed', { reason: 'circuit breaker' })],
      rollback: {
        secret: { status: 'failed', versionId: 'v1', fromVersionId: 'v2', reason: 'UpdateSecretVersionStage failed' },
        services: [
          outcome('prod/pdf', 'timed-out', { reason: 'still in progress' }),
          outcome('prod/api', 'failed'),
          outcome('prod/ok', 'succeeded'),
          outcome('prod/later', 'skipped')
        ]
      }
    })
    // Most important first: the rollback of the secret, then failed services, then timed-out ones.
    expect(errorAnnotations(report)).toEqual([
      { title: 'rollback of prod/db', message: 'UpdateSecretVersionStage failed' },
      { title: 'prod/pdf', message: 'failed: circuit breaker' },
      { title: 'prod/api (rollback)', message: 'failed: no reason given' },
      { title: 'prod/pdf (rollback)', message: 'timed-out: still in progress' }
    ])
  })

  it('has no rollback annotation for a rollback that succeeded, and "failed" for one without a reason', () => {
    const rollback = (status: 'succeeded' | 'failed') => ({ secret: { status, versionId: 'v1', fromVersionId: 'v2' }, services: [] })
    expect(errorAnnotations(base({ secret: secretResult(), rollback: rollback('succeeded') }))).toEqual([])
    expect(errorAnnotations(base({ secret: secretResult(), rollback: rollback('failed') }))).toEqual([
      { title: 'rollback of prod/db', message: 'failed' }
    ])
  })
})

describe('warningAnnotations', () => {
  it('warns once per pinned container reference, saying what it is pinned to', () => {
    const [api, worker] = refs('prod/api\nprod/worker')
    const report = base({
      discovery: {
        servicesScanned: 2,
        taskDefinitionsRead: 2,
        found: [
          { ref: api, taskDefinition: 'td/api:1', references: [{ container: 'app', variable: 'DB', valueFrom: 'prod/db', pinned: false }] },
          {
            ref: worker,
            taskDefinition: 'td/worker:1',
            references: [
              { container: 'w', variable: 'OLD', valueFrom: 'prod/db::AWSPREVIOUS:', versionStage: 'AWSPREVIOUS', pinned: true },
              { container: 'w', variable: 'V1', valueFrom: 'prod/db:::abc', versionStage: 'AWSCURRENT', versionId: 'abc', pinned: true }
            ]
          }
        ]
      }
    })
    const fix = 'a redeploy keeps the old value. Reference the secret without a version (or with AWSCURRENT) to pick up changes.'
    expect(warningAnnotations(report)).toEqual([
      { title: 'prod/worker: container w', message: `OLD reads prod/db::AWSPREVIOUS:, pinned to AWSPREVIOUS: ${fix}` },
      { title: 'prod/worker: container w', message: `V1 reads prod/db:::abc, pinned to version abc: ${fix}` }
    ])
  })

  it('has none without discovery', () => {
    expect(warningAnnotations(base({}))).toEqual([])
  })
})

describe('closingNotice', () => {
  it.each<[string, Partial<RunReport>, string]>([
    ['nothing at all', {}, 'nothing to do'],
    [
      'a put and its services',
      {
        secret: secretResult(),
        services: [
          outcome('a/s1', 'succeeded'),
          outcome('a/s2', 'failed'),
          outcome('a/s3', 'succeeded'),
          outcome('a/s4', 'timed-out'),
          outcome('a/s5', 'started'),
          outcome('a/s6', 'skipped')
        ]
      },
      'prod/db: version v2 is AWSCURRENT (put; previous v1 is AWSPREVIOUS); 6 services: 2 succeeded, 1 started, 1 failed, 1 timed-out, 1 skipped'
    ],
    [
      'a first version, with no previous one',
      { secret: secretResult({ mode: 'rotate', previousVersionId: undefined }) },
      'prod/db: version v2 is AWSCURRENT (rotate; previous none is AWSPREVIOUS)'
    ],
    ['a failed change', { secret: failedPut }, 'prod/db: put failed'],
    [
      'a dry run',
      { plan: {}, services: [outcome('a/s1', 'planned'), outcome('a/s2', 'planned')] },
      'dry run, nothing changed; 2 services: 2 planned'
    ],
    [
      'a rollback',
      {
        secret: secretResult(),
        services: [outcome('a/s1', 'failed')],
        rollback: {
          secret: { status: 'succeeded', versionId: 'v1', fromVersionId: 'v2' },
          services: [outcome('a/s1', 'succeeded'), outcome('a/s2', 'failed')]
        }
      },
      'prod/db: version v2 is AWSCURRENT (put; previous v1 is AWSPREVIOUS); 1 services: 1 failed; rolled back to v1; 1 of 2 services redeployed with it'
    ],
    [
      'a failed rollback',
      {
        secret: secretResult(),
        rollback: { secret: { status: 'failed', versionId: 'v1', fromVersionId: 'v2' }, services: [] }
      },
      'prod/db: version v2 is AWSCURRENT (put; previous v1 is AWSPREVIOUS); rollback failed'
    ],
    ['a stop', { error: { title: 'Invalid input', message: 'x' } }, 'stopped: Invalid input'],
    [
      'a dry run that stopped',
      { plan: {}, services: [outcome('a/s1', 'skipped')], error: { title: 'Service preflight', message: 'x' } },
      'dry run, nothing changed; 1 services: 1 skipped; stopped: Service preflight'
    ]
  ])('%s', (_, fields, expected) => {
    expect(closingNotice(base(fields))).toBe(expected)
  })
})
