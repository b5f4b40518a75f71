import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { fakeCore } from '../../../__fixtures__/core.js'
import { outcome, SECRET_ARN, secretResult } from '../../../__fixtures__/report.js'
import type { RunReport } from '../../../src/report/run-report.js'

const { core, record } = fakeCore({})
jest.unstable_mockModule('@actions/core', () => core)
const { outputsOf } = await import('../../../src/report/outputs.js')
const { publishReport } = await import('../../../src/report/publish.js')
const { summaryMarkdown } = await import('../../../src/report/summary.js')

const rolledBack = { status: 'succeeded' as const, versionId: 'v1', fromVersionId: 'v2' }

describe('outputsOf', () => {
  it('a put that rolled out: the new version, the previous one, and each service with how it was redeployed', () => {
    const report: RunReport = {
      waited: true,
      secret: secretResult(),
      services: [
        outcome('prod/api', 'succeeded', { deploymentId: 'ecs-svc/1', durationSeconds: 61.6 }),
        outcome('prod/pdf', 'failed', {
          deploymentId: 'd-ABCDEFGH1',
          durationSeconds: 12.2,
          reason: 'CodeDeploy deployment d-ABCDEFGH1 Failed',
          kind: 'CodeDeploy blue/green (new deployment, same task definition)'
        }),
        outcome('batch/x', 'timed-out', { reason: 'slow' })
      ]
    }
    expect(outputsOf(report)).toEqual({
      'secret-arn': SECRET_ARN,
      'version-id': 'v2',
      'previous-version-id': 'v1',
      services: JSON.stringify([
        {
          cluster: 'prod',
          service: 'api',
          deploymentId: 'ecs-svc/1',
          redeployedBy: null,
          status: 'succeeded',
          reason: null,
          durationSeconds: 62
        },
        {
          cluster: 'prod',
          service: 'pdf',
          deploymentId: 'd-ABCDEFGH1',
          redeployedBy: 'CodeDeploy blue/green (new deployment, same task definition)',
          status: 'failed',
          reason: 'CodeDeploy deployment d-ABCDEFGH1 Failed',
          durationSeconds: 12
        },
        {
          cluster: 'batch',
          service: 'x',
          deploymentId: null,
          redeployedBy: null,
          status: 'timed-out',
          reason: 'slow',
          durationSeconds: null
        }
      ]),
      'failed-services': 'prod/pdf\nbatch/x',
      result: 'failed',
      plan: ''
    })
  })

  it('a failed change leaves version-id empty; a rollback sets it to the version moved back to', () => {
    const failed = outputsOf({ waited: true, services: [], secret: secretResult({ status: 'failed', versionId: undefined }) })
    expect([failed['version-id'], failed['previous-version-id'], failed.result]).toEqual(['', 'v1', 'failed'])
    const back = outputsOf({ waited: true, services: [], secret: secretResult(), rollback: { secret: rolledBack, services: [] } })
    expect(back['version-id']).toBe('v1')
    const notBack = outputsOf({
      waited: true,
      services: [],
      secret: secretResult(),
      rollback: { secret: { ...rolledBack, status: 'failed' }, services: [] }
    })
    expect(notBack['version-id']).toBe('v2')
  })

  it('mode redeploy: no secret outputs', () => {
    const out = outputsOf({ waited: false, services: [outcome('prod/api', 'started', { deploymentId: 'd' })] })
    expect([out['secret-arn'], out['version-id'], out['previous-version-id'], out['failed-services'], out.result]).toEqual([
      '',
      '',
      '',
      '',
      'succeeded'
    ])
  })

  it('a dry run: the plan, with ids and names only, and why each service is in it', () => {
    const report: RunReport = {
      waited: true,
      plan: {
        secret: { mode: 'put', arn: SECRET_ARN, name: 'prod/db', region: 'eu-west-1', token: 'v2', alreadyCreated: false, value: 'n3w' }
      },
      services: [
        outcome('prod/api', 'planned', { kind: 'ECS canary (forced new deployment)' }),
        outcome('prod/pdf', 'planned', {
          discoveredBy: [{ container: 'pdf', variable: 'DB', valueFrom: 'prod/db:password::', jsonKey: 'password', pinned: false }]
        })
      ]
    }
    const out = outputsOf(report)
    expect(out.result).toBe('planned')
    expect(JSON.parse(out.plan)).toEqual({
      secret: { arn: SECRET_ARN, mode: 'put', currentVersionId: null, newVersionId: 'v2', alreadyCreated: false },
      services: [
        { cluster: 'prod', service: 'api', why: ['listed'], how: 'ECS canary (forced new deployment)' },
        { cluster: 'prod', service: 'pdf', why: ['pdf.DB <- prod/db:password::'], how: null }
      ]
    })
    expect(out.plan).not.toContain('n3w')
    expect(JSON.parse(outputsOf({ ...report, plan: {} }).plan).secret).toBeNull()
  })
})

describe('publishReport', () => {
  afterEach(() => {
    process.exitCode = undefined
    delete process.env.GITHUB_STEP_SUMMARY
    for (const list of [record.errors, record.notices, record.logs, record.summary]) list.length = 0
    core.summary.write = async () => undefined
  })

  it('sets every output, annotates, writes the summary and fails the step for a failed run', async () => {
    process.env.GITHUB_STEP_SUMMARY = '/dev/null'
    await publishReport({ waited: true, secret: secretResult(), services: [outcome('prod/pdf', 'failed', { reason: 'boom' })] })
    expect(Object.keys(record.outputs).sort()).toEqual([
      'failed-services',
      'plan',
      'previous-version-id',
      'result',
      'secret-arn',
      'services',
      'version-id'
    ])
    expect(record.errors).toEqual([{ title: 'prod/pdf', message: 'failed: boom' }])
    expect(record.summary).toHaveLength(1)
    expect(record.summary[0]).toMatch(/^## secret-rollout: ❌ failed\n/)
    expect(record.notices).toEqual(['prod/db: version v2 is AWSCURRENT (put; previous v1 is AWSPREVIOUS); 1 services: 1 failed'])
    expect(process.exitCode).toBe(1)
  })

  it('leaves the exit status alone for a run that succeeded, and writes no summary outside a runner', async () => {
    await publishReport({ waited: true, secret: secretResult(), services: [] })
    expect(record.summary).toEqual([])
    expect(record.errors).toEqual([])
    expect(process.exitCode).toBeUndefined()
  })

  it('warns about pinned references and about a summary it could not write, and still finishes', async () => {
    process.env.GITHUB_STEP_SUMMARY = '/dev/null'
    core.summary.write = async () => {
      throw new Error('EACCES: summary file')
    }
    const { ref } = outcome('prod/w', 'planned')
    await publishReport({
      waited: true,
      plan: {},
      services: [],
      discovery: {
        servicesScanned: 1,
        taskDefinitionsRead: 1,
        found: [
          {
            ref,
            taskDefinition: 'td',
            references: [{ container: 'c', variable: 'V', valueFrom: 'x::AWSPREVIOUS:', versionStage: 'AWSPREVIOUS', pinned: true }]
          }
        ]
      }
    })
    expect(record.logs).toEqual([
      expect.stringMatching(/^warning: V reads x::AWSPREVIOUS:, pinned to AWSPREVIOUS/),
      'warning: Could not write the job summary: EACCES: summary file'
    ])
    expect(record.notices).toEqual(['dry run, nothing changed'])
    // The pinned reference's annotation is titled with the service and container.
    expect(core.warning).toHaveBeenCalledWith(expect.stringMatching(/^V reads x::AWSPREVIOUS:/), { title: 'prod/w: container c' })
    expect(process.exitCode).toBeUndefined()
  })

  describe('the tracking issue', () => {
    const settings = { token: 't', repository: 'acme/infra', apiUrl: 'https://api.github.com' }
    const failed = (): RunReport => ({
      mode: 'put',
      secretId: 'prod/db',
      waited: true,
      secret: secretResult(),
      services: [outcome('prod/pdf', 'failed', { reason: 'boom' })]
    })
    function api(fail?: Error) {
      const calls: string[] = []
      return {
        calls,
        make: (given: typeof settings) => {
          expect(given).toBe(settings)
          return {
            listOpen: async (label: string) => {
              calls.push(`list ${label}`)
              if (fail) throw fail
              return []
            },
            create: async (issue: { title: string }) => {
              calls.push(`create ${issue.title}`)
              return { number: 7, body: '', url: 'https://github.com/acme/infra/issues/7' }
            },
            ensureLabel: async (name: string) => void calls.push(`label ${name}`),
            comment: async () => void calls.push('comment'),
            close: async () => void calls.push('close')
          }
        }
      }
    }

    it('opens one for a failed run and says where, in the log and at the end of the summary', async () => {
      process.env.GITHUB_STEP_SUMMARY = '/dev/null'
      const github = api()
      await publishReport(failed(), { trackingIssue: settings, issuesApi: github.make })
      expect(github.calls).toEqual([
        'list secret-rollout',
        'label secret-rollout',
        'create secret-rollout failed: `prod/db` (put)',
        'list secret-rollout'
      ])
      expect(record.logs).toContain('Tracking issue opened: https://github.com/acme/infra/issues/7')
      // The summary first, before any GitHub call; the line about the issue appended after.
      expect(record.summary.join('')).toBe(
        `${summaryMarkdown(failed())}\nTracking issue [#7](https://github.com/acme/infra/issues/7) opened.\n\n`
      )
      expect(core.notice).toHaveBeenLastCalledWith(expect.any(String), { title: 'secret-rollout' })
      expect(process.exitCode).toBe(1)
    })

    it('says why it did nothing for a dry run, and adds nothing to the summary', async () => {
      process.env.GITHUB_STEP_SUMMARY = '/dev/null'
      const github = api()
      const report: RunReport = { waited: true, plan: {}, services: [] }
      await publishReport(report, { trackingIssue: settings, issuesApi: github.make })
      expect(github.calls).toEqual([])
      expect(record.logs).toContain('Tracking issue: none (a dry run changes nothing)')
      expect(record.summary).toEqual([`${summaryMarkdown(report)}\n`])
    })

    it('turns a GitHub error into a warning titled for the tracking issue, quoted in the summary; the run keeps its own result', async () => {
      process.env.GITHUB_STEP_SUMMARY = '/dev/null'
      const github = api(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }))
      const report: RunReport = { waited: true, secret: secretResult(), services: [] }
      await publishReport(report, { trackingIssue: settings, issuesApi: github.make })
      expect(record.logs).toEqual([expect.stringMatching(/^warning: .*permissions: issues: write/)])
      const warning = record.logs[0].slice('warning: '.length)
      expect(core.warning).toHaveBeenLastCalledWith(warning, { title: 'tracking issue' })
      expect(record.summary).toEqual([`${summaryMarkdown(report)}\n`, `> ⚠️ ${warning}\n\n`])
      expect(process.exitCode).toBeUndefined()
    })

    it('is left alone without failure-issue', async () => {
      await publishReport(failed())
      expect(record.logs.filter((l) => l.includes('Tracking issue'))).toEqual([])
    })
  })
})
