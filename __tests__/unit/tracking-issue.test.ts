import { describe, expect, it } from '@jest/globals'
import { fleet } from '../../__fixtures__/fleet.js'
import { fakeIssues } from '../../__fixtures__/issues.js'
import { trackingIssueWarning, updateTrackingIssue } from '../../src/github/tracking-issue.js'
import type { RunReport } from '../../src/report/run-report.js'

const run = { id: '77', attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com', actor: 'octocat', event: 'schedule' }
const failed: RunReport = {
  mode: 'rotate',
  secretId: 'prod/db',
  services: fleet(3, 1, (i) => (i === 1 ? 'failed' : 'succeeded')),
  waited: true,
  run
}
const succeeded: RunReport = { ...failed, services: fleet(3, 1, () => 'succeeded') }
const marker = '<!-- secret-rollout tracking: secret prod/db -->'

describe('the tracking issue', () => {
  it('opens one issue with the label, the marker, the outcome table and the run link on a first failure', async () => {
    const { api, issues, calls } = fakeIssues()
    const outcome = await updateTrackingIssue(api, failed)
    expect(outcome).toMatchObject({ action: 'opened', issue: { number: 1 } })
    expect(calls).toEqual(['list secret-rollout', 'label secret-rollout', 'create secret-rollout failed: `prod/db` (rotate)'])
    const [issue] = issues
    expect(issue.labels).toEqual(['secret-rollout'])
    expect(issue.body.split('\n')[0]).toBe(marker)
    expect(issue.body).toContain('| c0 | svc1 | ❌ failed |')
    expect(issue.body).toContain('First failure: [run 77, attempt 1](https://github.com/acme/infra/actions/runs/77/attempts/1)')
    expect(issue.body).toContain('Run by @octocat · event `schedule`')
  })

  it('comments on the open issue when the same secret fails again, and leaves issues of other secrets alone', async () => {
    const { api, issues, calls } = fakeIssues([
      { body: '<!-- secret-rollout tracking: secret prod/other -->', labels: ['secret-rollout'] },
      { body: `${marker}\nfirst failure`, labels: ['secret-rollout'] }
    ])
    expect(await updateTrackingIssue(api, failed)).toMatchObject({ action: 'commented', issue: { number: 2 } })
    expect(calls).toEqual(['list secret-rollout', 'comment #2'])
    expect(issues[1].comments[0]).toMatch(/^Failed again in \[run 77, attempt 1\]\(.*\): 3 services: 2 succeeded, 1 failed\n/)
    expect(issues[0].comments).toEqual([])
  })

  it('comments and closes it on the next success', async () => {
    const { api, issues, calls } = fakeIssues([{ body: `${marker}\nfirst failure`, labels: ['secret-rollout'] }])
    expect(await updateTrackingIssue(api, succeeded)).toMatchObject({ action: 'closed' })
    expect(calls).toEqual(['list secret-rollout', 'comment #1', 'close #1'])
    expect(issues[0].state).toBe('closed')
    expect(issues[0].comments[0]).toMatch(/^Succeeded in \[run 77, attempt 1\]/)
  })

  it('does nothing on a success with no open issue, nor on a dry run', async () => {
    const { api, calls } = fakeIssues()
    expect(await updateTrackingIssue(api, succeeded)).toEqual({ action: 'none', why: 'no open tracking issue' })
    expect(await updateTrackingIssue(api, { ...failed, plan: {} })).toEqual({ action: 'none', why: 'a dry run changes nothing' })
    expect(calls).toEqual(['list secret-rollout'])
  })

  it('finds the issue of a redeploy by its set of services, whatever their order', async () => {
    const { api, issues } = fakeIssues()
    const redeploy: RunReport = { mode: 'redeploy', services: fleet(4, 2, (i) => (i === 0 ? 'failed' : 'succeeded')), waited: true, run }
    await updateTrackingIssue(api, redeploy)
    expect(issues[0].title).toBe('secret-rollout failed: the redeploy of 4 services')
    await updateTrackingIssue(api, { ...redeploy, services: [...redeploy.services].reverse() })
    expect(issues).toHaveLength(1)
    expect(issues[0].comments).toHaveLength(1)
    await updateTrackingIssue(api, { ...redeploy, services: redeploy.services.slice(0, 3) })
    expect(issues).toHaveLength(2)
  })

  it('keeps the body of a 2,000-service failure under GitHub limit of 65,536 characters', async () => {
    const { api, issues } = fakeIssues()
    await updateTrackingIssue(api, { ...failed, services: fleet(2000, 20, (i) => (i % 3 === 0 ? 'failed' : 'succeeded')) })
    expect(issues[0].body.length).toBeLessThanOrEqual(65536)
    expect(issues[0].body).toContain('more services are not shown')
  })

  it('turns a missing permission into a warning that names it', () => {
    const forbidden = Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    expect(trackingIssueWarning(forbidden)).toBe(
      'Could not update the tracking issue: Resource not accessible by integration (HTTP 403). Add `permissions: issues: write` to the job (the job token needs it to open, comment on and close issues).'
    )
  })
})
