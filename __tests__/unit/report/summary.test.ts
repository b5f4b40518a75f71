import { describe, expect, it } from '@jest/globals'
import { outcome, SECRET_ARN, secretResult } from '../../../__fixtures__/report.js'
import { refs } from '../../../__fixtures__/ecs.js'
import type { RunReport } from '../../../src/report/run-report.js'
import { summaryMarkdown } from '../../../src/report/summary.js'
import type { SecretPlan } from '../../../src/secret/prepare.js'

// Each kind of run's job summary, checked whole: a section too many or too few fails the test.
/** A service cell: the name, linked to the service's deployments in the ECS console (eu-west-1). */
const svc = (service: string, cluster = 'prod') =>
  `[${service}](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/${cluster}/services/${service}/deployments?region=eu-west-1)`

const run = { id: '42', attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com' }
const SERVICES_HEAD = [
  '| cluster | service | outcome | time | running/desired | tasks on new secret | reason | redeployed by |',
  '|---|---|---|---|---|---|---|---|'
]
const SECRET_HEAD = ['| secret | mode | previous version | new version | outcome | time |', '|---|---|---|---|---|---|']
const md = (...lines: string[]) => lines.join('\n')

const plan = (fields: Partial<SecretPlan> = {}): SecretPlan => ({
  mode: 'put',
  arn: SECRET_ARN,
  name: 'prod/db',
  region: 'eu-west-1',
  token: 'v2',
  previousVersionId: 'v1',
  alreadyCreated: false,
  ...fields
})

describe('summaryMarkdown', () => {
  it('a put rolled out to every service', () => {
    const report: RunReport = {
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      run,
      secret: secretResult({ durationSeconds: 1.2 }),
      services: [
        outcome('prod/api', 'succeeded', {
          durationSeconds: 65,
          runningCount: 2,
          desiredCount: 2,
          proof: { proven: 2, total: 2 },
          kind: 'rolling update (forced new deployment)'
        }),
        outcome('batch/pdf', 'succeeded', {
          durationSeconds: 42.4,
          runningCount: 1,
          desiredCount: 1,
          proof: { proven: 1, total: 1 },
          kind: 'CodeDeploy blue/green (new deployment, same task definition)'
        })
      ]
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ✅ succeeded',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | put | `v1` | `v2` | ✅ succeeded | 1s |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ✅ succeeded | 1m 5s | 2/2 | 2/2 |  | rolling update (forced new deployment) |`,
        `| batch | ${svc('pdf', 'batch')} | ✅ succeeded | 42s | 1/1 | 1/1 |  | CodeDeploy blue/green (new deployment, same task definition) |`,
        '',
        'Run [workflow run 42, attempt 1](https://github.com/acme/infra/actions/runs/42/attempts/1)',
        ''
      )
    )
  })

  it('a rotation where one service failed, one timed out and one was not waited for', () => {
    const report: RunReport = {
      mode: 'rotate',
      secretId: 'prod/db',
      waited: true,
      secret: secretResult({ mode: 'rotate', durationSeconds: 125, reused: true, writtenByAttempt: 1 }),
      services: [
        outcome('prod/api', 'succeeded', { durationSeconds: 30, runningCount: 2, desiredCount: 2 }),
        outcome('prod/pdf', 'failed', {
          durationSeconds: 3720,
          runningCount: 0,
          desiredCount: 3,
          reason: 'deployment failed: circuit breaker | 3 tasks\n  stopped task: CannotPullSecrets'
        }),
        outcome('prod/admin', 'timed-out', { durationSeconds: 600, desiredCount: 2, reason: 'still in progress after 600s' }),
        outcome('prod/cron', 'started')
      ]
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | rotate | `v1` | `v2` | ✅ succeeded (written by attempt 1 of this run) | 2m 5s |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ✅ succeeded | 30s | 2/2 |  |  |  |`,
        `| prod | ${svc('pdf')} | ❌ failed | 1h 2m | 0/3 |  | deployment failed: circuit breaker \\| 3 tasks<br>stopped task: CannotPullSecrets |  |`,
        `| prod | ${svc('admin')} | ⏱️ timed out | 10m 0s | 0/2 |  | still in progress after 600s |  |`,
        `| prod | ${svc('cron')} | 🚀 started |  |  |  |  |  |`,
        ''
      )
    )
  })

  it('a failed secret change: what state the secret is in, and services not redeployed', () => {
    const report: RunReport = {
      mode: 'rotate',
      secretId: 'prod/db',
      waited: true,
      secret: secretResult({
        mode: 'rotate',
        status: 'failed',
        versionId: undefined,
        newVersionId: 'v2',
        durationSeconds: 600,
        reason: 'rotation did not finish within 600s: version v2 is stuck in AWSPENDING'
      }),
      services: [outcome('prod/api', 'skipped', { reason: 'not redeployed: the secret change failed' })]
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | rotate | `v1` | `v2` | ❌ failed | 10m 0s |',
        '',
        '> rotation did not finish within 600s: version v2 is stuck in AWSPENDING',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ⏭️ skipped |  |  |  | not redeployed: the secret change failed |  |`,
        ''
      )
    )
  })

  it('bad input: the error, its list of problems kept a Markdown list, and nothing else', () => {
    const report: RunReport = {
      waited: false,
      services: [],
      error: {
        title: 'Invalid input',
        message: 'Invalid inputs:\n  - `mode`: "x" is not one of rotate, put, redeploy\n  - `aws-region`: required'
      }
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '> **Invalid input:** Invalid inputs:',
        '> - \\`mode\\`: "x" is not one of rotate, put, redeploy',
        '> - \\`aws-region\\`: required',
        ''
      )
    )
  })

  it('a stop before the secret was changed says the secret was not changed', () => {
    const report: RunReport = {
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      services: [outcome('prod/gone', 'skipped', { reason: 'not redeployed: an earlier stage failed' })],
      error: { title: 'Service preflight', message: '`services`: 1 of 1 services cannot be redeployed; nothing was changed' }
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '> **Service preflight:** \\`services\\`: 1 of 1 services cannot be redeployed; nothing was changed',
        '',
        '### Secret',
        '',
        'prod/db (put): not changed.',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('gone')} | ⏭️ skipped |  |  |  | not redeployed: an earlier stage failed |  |`,
        ''
      )
    )
  })

  it('a cancelled run: the stage, the state, and the services still rolling out', () => {
    const report: RunReport = {
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      run,
      secret: secretResult(),
      services: [
        outcome('prod/fast', 'succeeded', { durationSeconds: 20, runningCount: 2, desiredCount: 2 }),
        outcome('prod/slow', 'started', {
          runningCount: 1,
          desiredCount: 2,
          reason: 'still rolling out when the run was cancelled (1/2 running, 1 pending, rollout IN_PROGRESS)'
        })
      ],
      error: {
        title: 'Cancelled',
        message:
          'The run was cancelled during "Wait for deployments". Version v2 of prod/db is AWSCURRENT. 1 deployments were still rolling out; ECS carries on with them.'
      }
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '> **Cancelled:** The run was cancelled during "Wait for deployments". Version v2 of prod/db is AWSCURRENT. 1 deployments were still rolling out; ECS carries on with them.',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | put | `v1` | `v2` | ✅ succeeded | 1s |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('fast')} | ✅ succeeded | 20s | 2/2 |  |  |  |`,
        `| prod | ${svc('slow')} | 🚀 started |  | 1/2 |  | still rolling out when the run was cancelled (1/2 running, 1 pending, rollout IN_PROGRESS) |  |`,
        '',
        'Run [workflow run 42, attempt 1](https://github.com/acme/infra/actions/runs/42/attempts/1)',
        ''
      )
    )
  })

  it('a rollback: the first round, then AWSCURRENT moved back and the second round', () => {
    const report: RunReport = {
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      secret: secretResult(),
      services: [
        outcome('prod/api', 'succeeded', { durationSeconds: 40, runningCount: 2, desiredCount: 2 }),
        outcome('prod/pdf', 'failed', {
          durationSeconds: 90,
          runningCount: 0,
          desiredCount: 2,
          reason: 'deployment failed: circuit breaker'
        })
      ],
      rollback: {
        secret: { status: 'succeeded', versionId: 'v1', fromVersionId: 'v2' },
        services: [
          outcome('prod/api', 'succeeded', { durationSeconds: 41, runningCount: 2, desiredCount: 2 }),
          outcome('prod/pdf', 'succeeded', { durationSeconds: 50, runningCount: 2, desiredCount: 2 })
        ]
      }
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | put | `v1` | `v2` | ✅ succeeded | 1s |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ✅ succeeded | 40s | 2/2 |  |  |  |`,
        `| prod | ${svc('pdf')} | ❌ failed | 1m 30s | 0/2 |  | deployment failed: circuit breaker |  |`,
        '',
        '### Rollback',
        '',
        'Deployments failed, so AWSCURRENT was moved back from `v2` to `v1` and the services were redeployed again:',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ✅ succeeded | 41s | 2/2 |  |  |  |`,
        `| prod | ${svc('pdf')} | ✅ succeeded | 50s | 2/2 |  |  |  |`,
        ''
      )
    )
  })

  it('a failed rollback: why, and no second round', () => {
    const report: RunReport = {
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      secret: secretResult(),
      services: [outcome('prod/pdf', 'failed', { durationSeconds: 90, reason: 'deployment failed' })],
      rollback: {
        secret: {
          status: 'failed',
          versionId: 'v1',
          fromVersionId: 'v2',
          reason: 'UpdateSecretVersionStage failed: AccessDeniedException: denied. AWSCURRENT is still on v2, the new value.'
        },
        services: [outcome('prod/pdf', 'skipped', { reason: 'not redeployed: the rollback of the secret failed' })]
      }
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ❌ failed',
        '',
        '### Secret',
        '',
        ...SECRET_HEAD,
        '| prod/db | put | `v1` | `v2` | ✅ succeeded | 1s |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('pdf')} | ❌ failed | 1m 30s |  |  | deployment failed |  |`,
        '',
        '### Rollback',
        '',
        'Deployments failed, and moving AWSCURRENT back failed: UpdateSecretVersionStage failed: AccessDeniedException: denied. AWSCURRENT is still on v2, the new value.',
        ''
      )
    )
  })

  it('a discovery run: what was scanned, which containers read the secret, and the pinned ones', () => {
    const [api, worker] = refs('prod/api\nbatch/worker')
    const apiRefs = [
      { container: 'app', variable: 'DB_PASSWORD', valueFrom: `${SECRET_ARN}:password::`, jsonKey: 'password', pinned: false }
    ]
    const workerRefs = [
      { container: 'worker', variable: 'DB', valueFrom: 'prod/db', pinned: false },
      { container: 'worker', variable: 'OLD_DB', valueFrom: 'prod/db::AWSPREVIOUS:', versionStage: 'AWSPREVIOUS', pinned: true },
      { container: 'sidecar', variable: 'DB_V', valueFrom: 'prod/db:::0f2a-v1', versionId: '0f2a-v1', pinned: true }
    ]
    const report: RunReport = {
      mode: 'redeploy',
      secretId: 'prod/db',
      waited: true,
      discovery: {
        servicesScanned: 120,
        taskDefinitionsRead: 4,
        found: [
          { ref: api, taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api:7', references: apiRefs },
          { ref: worker, taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:3', references: workerRefs }
        ]
      },
      services: [
        outcome('prod/api', 'succeeded', { durationSeconds: 30, runningCount: 2, desiredCount: 2, discoveredBy: apiRefs }),
        outcome('batch/worker', 'succeeded', { durationSeconds: 31, runningCount: 1, desiredCount: 1, discoveredBy: workerRefs })
      ]
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ✅ succeeded',
        '',
        '### Discovered services',
        '',
        '120 services scanned, 4 task definitions read; 2 read the secret.',
        '',
        '| cluster | service | task definition | container secret | reference | note |',
        '|---|---|---|---|---|---|',
        `| prod | api | api:7 | app.DB_PASSWORD | \`${SECRET_ARN}:password::\` |  |`,
        '| batch | worker | worker:3 | worker.DB | `prod/db` |  |',
        '| batch | worker | worker:3 | worker.OLD_DB | `prod/db::AWSPREVIOUS:` | ⚠️ pinned to `AWSPREVIOUS`: a redeploy keeps the old value |',
        '| batch | worker | worker:3 | sidecar.DB_V | `prod/db:::0f2a-v1` | ⚠️ pinned to version `0f2a-v1`: a redeploy keeps the old value |',
        '',
        '### ECS services',
        '',
        ...SERVICES_HEAD,
        `| prod | ${svc('api')} | ✅ succeeded | 30s | 2/2 |  |  |  |`,
        `| batch | ${svc('worker', 'batch')} | ✅ succeeded | 31s | 1/1 |  |  |  |`,
        ''
      )
    )
  })

  it('a discovery that found nothing has no table', () => {
    const report: RunReport = {
      mode: 'redeploy',
      secretId: 'prod/db',
      waited: true,
      discovery: { servicesScanned: 3, taskDefinitionsRead: 2, found: [] },
      services: []
    }
    expect(summaryMarkdown(report)).toBe(
      md(
        '## secret-rollout: ✅ succeeded',
        '',
        '### Discovered services',
        '',
        '3 services scanned, 2 task definitions read; 0 read the secret.',
        ''
      )
    )
  })
})

describe('summaryMarkdown, dry run', () => {
  const planned = (name: string) => outcome(name, 'planned', { reason: 'would be redeployed: listed' })
  const dryRun = (secret: SecretPlan | undefined, mode: RunReport['mode'] = secret?.mode): RunReport => ({
    mode,
    secretId: 'prod/db',
    waited: true,
    plan: { secret },
    services: [planned('prod/api')]
  })
  const page = (...secretLines: string[]) =>
    md(
      '## secret-rollout: 📝 plan (dry run, nothing changed)',
      '',
      ...secretLines,
      '### ECS services',
      '',
      ...SERVICES_HEAD,
      `| prod | ${svc('api')} | 📝 planned |  |  |  | would be redeployed: listed |  |`,
      ''
    )

  it('a put: one Secret section saying what would change', () => {
    expect(summaryMarkdown(dryRun(plan()))).toBe(
      page(
        '### Secret',
        '',
        'prod/db: would put a new value; AWSCURRENT is `v1` now and would move to `v2`.',
        '',
        'Pre-checks passed: the secret exists, is not scheduled for deletion, has no other rotation in progress; every service below exists and is ACTIVE.',
        ''
      )
    )
  })

  it('a rotation whose version an earlier attempt of this run already made', () => {
    expect(summaryMarkdown(dryRun(plan({ mode: 'rotate', alreadyCreated: true, writtenByAttempt: 2 })))).toBe(
      page(
        '### Secret',
        '',
        'prod/db: would rotate; AWSCURRENT is `v1` now and would move to `v2` (written by attempt 2 of this run).',
        '',
        'Pre-checks passed: the secret exists, is not scheduled for deletion, has no other rotation in progress, and has a rotation function; every service below exists and is ACTIVE.',
        ''
      )
    )
  })

  it('a rotation already in progress that the run would wait for', () => {
    expect(
      summaryMarkdown(dryRun(plan({ mode: 'rotate', token: 'v9', alreadyCreated: true, adopted: true, previousVersionId: undefined })))
    ).toBe(
      page(
        '### Secret',
        '',
        'prod/db: would wait for the rotation already in progress; AWSCURRENT is – now and would move to `v9`.',
        '',
        'Pre-checks passed: the secret exists, is not scheduled for deletion, has no other rotation in progress, and has a rotation function; every service below exists and is ACTIVE.',
        ''
      )
    )
  })

  it('mode redeploy: no Secret section', () => {
    expect(summaryMarkdown(dryRun(undefined, 'redeploy'))).toBe(page())
  })
})
