import { describe, expect, it } from '@jest/globals'
import { fleet } from '../../../__fixtures__/fleet.js'
import { fakeIssues } from '../../../__fixtures__/issues.js'
import { secretResult } from '../../../__fixtures__/report.js'
import { trackingIssueWarning, updateTrackingIssue } from '../../../src/github/tracking-issue.js'
import type { RunReport } from '../../../src/report/run-report.js'

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
    expect(calls).toEqual([
      'list secret-rollout',
      'label secret-rollout',
      'create secret-rollout failed: `prod/db` (rotate)',
      'list secret-rollout'
    ])
    const [issue] = issues
    expect(issue.labels).toEqual(['secret-rollout'])
    expect(issue.body.split('\n')[0]).toBe(marker)
    expect(issue.body).toContain(
      '| c0 | [svc1](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/c0/services/svc1/deployments?region=eu-west-1) | ❌ failed |'
    )
    expect(issue.body).toContain('First failure: [run 77, attempt 1](https://github.com/acme/infra/actions/runs/77/attempts/1)')
    expect(issue.body).toContain('Run by [octocat](https://github.com/octocat) · event `schedule`')
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

  it('opens the issue with a head that says what failed, how the issue is kept and that a local run failed, under a described label', async () => {
    const { api, issues, labels } = fakeIssues()
    await updateTrackingIssue(api, { ...failed, run: undefined })
    expect(issues[0].body.split('\n').slice(0, 6)).toEqual([
      marker,
      'A secret-rollout run for `prod/db` (rotate) failed: 3 services: 2 succeeded, 1 failed',
      '',
      'This issue stays open while the runs fail: each failed run adds a comment, and the next successful run closes it. First failure: a local run.',
      '',
      '## secret-rollout: ❌ failed'
    ])
    expect([...labels]).toEqual([['secret-rollout', 'secret-rollout: a rotation or redeploy that keeps failing']])
  })

  it('names a secret with `@` in its name without a mention, in the head of the issue and of each comment', async () => {
    const named = { ...failed, secretId: 'team/@octo-org/db', secret: secretResult({ name: 'team/@octo-org/db', mode: 'rotate' }) }
    const { api, issues } = fakeIssues()
    await updateTrackingIssue(api, named)
    await updateTrackingIssue(api, named)
    await updateTrackingIssue(api, { ...named, services: succeeded.services })
    expect(issues[0].body.split('\n')[1]).toBe(
      'A secret-rollout run for `team/@octo-org/db` (rotate) failed: team/@&#8203;octo-org/db: version v2 is AWSCURRENT (rotate; previous v1 is AWSPREVIOUS); 3 services: 2 succeeded, 1 failed'
    )
    expect(issues[0].comments.map((c) => c.split('\n')[0].replace(/\]\(.*?\)/, ']'))).toEqual([
      'Failed again in [run 77, attempt 1]: team/@&#8203;octo-org/db: version v2 is AWSCURRENT (rotate; previous v1 is AWSPREVIOUS); 3 services: 2 succeeded, 1 failed',
      'Succeeded in [run 77, attempt 1]: team/@&#8203;octo-org/db: version v2 is AWSCURRENT (rotate; previous v1 is AWSPREVIOUS); 3 services: 3 succeeded. Closing.'
    ])
  })

  it('keeps the issue body and each comment within 60,000 bytes with their head, for a secret with a long name', async () => {
    // A head of well over 500 bytes: the summary under it must give up as many.
    const name = `prod/${'n'.repeat(500)}`
    const services = fleet(2000, 20, (i) => (i % 3 === 0 ? 'failed' : 'succeeded'))
    const big: RunReport = { ...failed, secretId: name, secret: secretResult({ name, status: 'failed' }), services }
    const { api, issues } = fakeIssues()
    await updateTrackingIssue(api, big)
    await updateTrackingIssue(api, big)
    await updateTrackingIssue(api, { ...big, secret: secretResult({ name }), services: fleet(2000, 20, () => 'succeeded') })
    expect(issues[0].state).toBe('closed')
    // The head and the summary, plus the one or two newlines between them.
    const sizes = [issues[0].body, ...issues[0].comments].map((text) => Buffer.byteLength(text))
    expect(sizes).toHaveLength(3)
    for (const size of sizes) {
      expect(size).toBeLessThanOrEqual(60_002)
      expect(size).toBeGreaterThan(59_000)
    }
  })

  it('keys a redeploy by its services, with the same marker in every version, even when the report names a secret', async () => {
    const { api, issues } = fakeIssues()
    const redeploy: RunReport = {
      mode: 'redeploy',
      secretId: 'prod/db',
      services: fleet(4, 2, (i) => (i === 0 ? 'failed' : 'succeeded')),
      waited: true,
      run
    }
    await updateTrackingIssue(api, redeploy)
    expect(issues[0].title).toBe('secret-rollout failed: the redeploy of 4 services')
    // Open issues are found again by this marker: changing how it is made orphans them.
    expect(issues[0].body.split('\n')[0]).toBe('<!-- secret-rollout tracking: services cf0c444de64bcbae -->')
  })

  it('opens a separate issue for a redeploy of as many other services', async () => {
    const { api, issues } = fakeIssues()
    const redeploy: RunReport = { mode: 'redeploy', services: fleet(4, 2, (i) => (i === 0 ? 'failed' : 'succeeded')), waited: true, run }
    await updateTrackingIssue(api, redeploy)
    const others = redeploy.services.map((s, i) => (i === 3 ? { ...s, ref: { ...s.ref, service: 'svc9', label: 'c1/svc9' } } : s))
    await updateTrackingIssue(api, { ...redeploy, services: others })
    expect(issues.map((i) => [i.title, i.comments.length])).toEqual([
      ['secret-rollout failed: the redeploy of 4 services', 0],
      ['secret-rollout failed: the redeploy of 4 services', 0]
    ])
  })

  it('turns a missing permission into a warning that names it', () => {
    const forbidden = Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    expect(trackingIssueWarning(forbidden)).toBe(
      'Could not update the tracking issue: Resource not accessible by integration (HTTP 403). Add `permissions: issues: write` to the job (the job token needs it to open, comment on and close issues).'
    )
  })

  it('turns a refused token, a missing repository and any other error into warnings that say what to do', () => {
    const refused = Object.assign(new Error('Bad credentials'), { status: 401 })
    expect(trackingIssueWarning(refused)).toBe(
      'Could not update the tracking issue: Bad credentials (HTTP 401). The `github-token` was refused: leave it unset to use the job token, or give a token that can write issues.'
    )
    const missing = Object.assign(new Error('Not Found'), { status: 404 })
    expect(trackingIssueWarning(missing)).toBe(
      'Could not update the tracking issue: Not Found (HTTP 404). The repository was not found with this token: check `github-token` and that issues are enabled.'
    )
    const unavailable = Object.assign(new Error('Service Unavailable'), { status: 503 })
    expect(trackingIssueWarning(unavailable)).toBe(
      'Could not update the tracking issue: Service Unavailable (HTTP 503). The rotation result stands; the tracking issue is updated on the next run.'
    )
    expect(trackingIssueWarning('socket hang up')).toBe(
      'Could not update the tracking issue: socket hang up. The rotation result stands; the tracking issue is updated on the next run.'
    )
  })
})
