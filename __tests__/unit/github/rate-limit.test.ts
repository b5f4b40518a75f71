import { describe, expect, it } from '@jest/globals'
import { fakeIssues } from '../../../__fixtures__/issues.js'
import { fleet } from '../../../__fixtures__/fleet.js'
import { isRateLimited, MAX_TRIES, withRateLimitRetry } from '../../../src/github/rate-limit.js'
import { trackingIssueWarning, updateTrackingIssue } from '../../../src/github/tracking-issue.js'
import type { RunReport } from '../../../src/report/run-report.js'

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(status === 410 ? 'Issues are disabled for this repo' : 'API rate limit exceeded'), {
    status,
    response: { headers }
  })

/** A call that fails with the given errors, one per try, then answers 'ok'. */
function failing(errors: Error[]) {
  let tries = 0
  return {
    call: async () => {
      const error = errors[tries++]
      if (error) throw error
      return 'ok'
    },
    tries: () => tries
  }
}

describe('GitHub rate limits', () => {
  it('tells a rate limit (retry-after, exhausted x-ratelimit-remaining, 429) from a missing permission', () => {
    expect(isRateLimited(httpError(403, { 'retry-after': '5' }))).toBe(true)
    expect(isRateLimited(httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }))).toBe(true)
    expect(isRateLimited(httpError(429))).toBe(true)
    expect(isRateLimited(httpError(403, { 'x-ratelimit-remaining': '4999' }))).toBe(false)
    expect(trackingIssueWarning(httpError(403, { 'retry-after': '5' }))).toContain('GitHub rate limited this token')
    expect(trackingIssueWarning(httpError(403))).toContain('Add `permissions: issues: write`')
  })

  it('waits as long as GitHub asks (retry-after, or until x-ratelimit-reset) and tries again', async () => {
    const waits: number[] = []
    const { call, tries } = failing([
      httpError(403, { 'retry-after': '7' }),
      httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '130' })
    ])
    const answer = await withRateLimitRetry(call, { sleep: async (ms) => void waits.push(ms), now: () => 100_000 })
    expect([answer, tries(), waits]).toEqual(['ok', 3, [7000, 30_000]])
  })

  it('gives up after a bounded number of tries, or when the wait is too long, and never retries a missing permission', async () => {
    const sleep = async () => undefined
    const always = failing(Array.from({ length: 10 }, () => httpError(429, { 'retry-after': '1' })))
    await expect(withRateLimitRetry(always.call, { sleep })).rejects.toThrow('rate limit')
    expect(always.tries()).toBe(MAX_TRIES)
    const long = failing([httpError(403, { 'retry-after': '3600' })])
    await expect(withRateLimitRetry(long.call, { sleep })).rejects.toThrow('rate limit')
    expect(long.tries()).toBe(1)
    const denied = failing([httpError(403)])
    await expect(withRateLimitRetry(denied.call, { sleep })).rejects.toThrow()
    expect(denied.tries()).toBe(1)
  })

  it('says issues are disabled for a 410', () => {
    expect(trackingIssueWarning(httpError(410))).toBe(
      'Could not update the tracking issue: Issues are disabled for this repo (HTTP 410). Issues are disabled in this repository: enable them (Settings, General, Features) or set `failure-issue: false`.'
    )
  })
})

describe('the tracking issue opened by two runs at once', () => {
  const failed: RunReport = {
    mode: 'rotate',
    secretId: 'prod/db',
    services: fleet(2, 1, () => 'failed'),
    waited: true,
    run: { id: '78', attempt: '1', repository: 'acme/infra', serverUrl: 'https://github.com' }
  }

  it('closes its own issue as a duplicate of the older one and comments there instead', async () => {
    const { api, issues, calls } = fakeIssues()
    // The other run opens its issue between this run's list and create.
    const list = api.listOpen
    let first = true
    api.listOpen = async (label) => {
      const open = await list(label)
      if (first) {
        first = false
        issues.push({
          number: 1,
          title: 'other',
          body: '<!-- secret-rollout tracking: secret prod/db -->',
          labels: [label],
          comments: [],
          state: 'open'
        })
      }
      return open
    }
    const outcome = await updateTrackingIssue(api, failed)
    expect(outcome).toMatchObject({ action: 'commented', issue: { number: 1 } })
    expect(calls.slice(-4)).toEqual(['list secret-rollout', 'comment #2', 'close #2', 'comment #1'])
    expect(issues.map((i) => [i.number, i.state])).toEqual([
      [1, 'open'],
      [2, 'closed']
    ])
    expect(issues[1].comments).toEqual(['Duplicate of #1, opened by another run at the same time. Closing.'])
  })

  it('mentions failure-issue-mention once, in the new issue, and nobody otherwise', async () => {
    const { api, issues } = fakeIssues()
    await updateTrackingIssue(api, failed, ['@acme/platform', '@octocat'])
    expect(issues[0].body.split('\n').slice(4, 6)).toEqual(['', 'Notifying @acme/platform @octocat (`failure-issue-mention`).'])
    await updateTrackingIssue(api, failed, ['@acme/platform'])
    expect(issues[0].comments[0]).not.toMatch(/@acme/)
    const quiet = fakeIssues()
    await updateTrackingIssue(quiet.api, failed)
    expect(quiet.issues[0].body).not.toMatch(/@(?!&#8203;)\w/)
  })
})
