import { describe, expect, it } from '@jest/globals'
import { baseInputs, leaks, runnerEnv, runScenario, scenarioWithRole, sensitiveValues } from '../../__fixtures__/e2e.js'
import { runAction, type ActionRun } from '../../__fixtures__/runner.js'
import { startEmulator, type Emulator } from '../../emulator/server.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

const NEW_VALUE = 'Tr4cking-New-Value-99'
const MARKER = '<!-- secret-rollout tracking: secret prod/db -->'

/** prod/api rolls out; prod/pdf too, or trips the circuit breaker when `failing`. */
function scenario(failing: boolean, github: ScenarioInput['github'] = {}): ScenarioInput {
  return {
    secrets: [{ name: 'prod/db', value: 'Old-Value-Tr4ck-41' }],
    clusters: [
      {
        name: 'prod',
        services: [
          { name: 'api', deploymentMs: 300 },
          { name: 'pdf', deploymentMs: 300, outcome: failing ? 'circuit-breaker' : 'complete' }
        ]
      }
    ],
    github
  }
}

const inputs = { mode: 'put', 'secret-id': 'prod/db', 'secret-string': NEW_VALUE, services: 'prod/api\nprod/pdf', 'failure-issue': 'true' }

/** Runs as a runner does: GITHUB_API_URL points at the local API, `github-token` is the job token. */
async function runWithIssues(failing: boolean, github: ScenarioInput['github'] = {}) {
  let token = ''
  const result = await runScenario(scenario(failing, github), inputs, {
    env: (emu) => {
      token = emu.scenario.github.token
      return {
        ...runnerEnv(emu),
        GITHUB_API_URL: emu.githubApiUrl,
        'INPUT_GITHUB-TOKEN': token,
        GITHUB_ACTOR: 'octocat',
        GITHUB_EVENT_NAME: 'schedule'
      }
    }
  })
  return { ...result, token }
}

/** Every issue title, body and comment, and everything the run showed, free of secrets and the token. */
function expectNoLeaks(run: ActionRun, emu: Emulator, token: string, more: string[] = []) {
  const values = sensitiveValues(emu, [NEW_VALUE, token, ...more])
  expect(leaks(run, values)).toEqual([])
  const written = emu.github.texts()
  expect(written.length).toBeGreaterThan(0)
  expect(values.filter((v) => written.some((t) => t.includes(v)))).toEqual([])
}

const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning')

describe('the tracking issue, against the local GitHub API', () => {
  it('opens an issue with the label, the marker, the outcome table and the run link when a rollout fails', async () => {
    const { run, emu, token } = await runWithIssues(true)
    expect(run.code).toBe(1)
    expect(emu.github.issues).toHaveLength(1)
    const [issue] = emu.github.issues
    expect(issue).toMatchObject({ state: 'open', labels: ['secret-rollout'], title: 'secret-rollout failed: `prod/db` (put)' })
    expect(issue.body.split('\n')[0]).toBe(MARKER)
    expect(issue.body).toContain(
      '| prod | [pdf](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/pdf/deployments?region=eu-west-1) | ❌ failed |'
    )
    expect(issue.body).toContain('[run 1001, attempt 1](https://github.com/acme/infra/actions/runs/1001/attempts/1)')
    // Who ran it, from which workflow, event and commit (the runner's GITHUB_ACTOR, GITHUB_WORKFLOW, ...).
    expect(issue.body).toContain(
      'Run by [octocat](https://github.com/octocat) · workflow `Rotate prod/db` · event `schedule` · commit [3f786850e387](https://github.com/acme/infra/commit/3f786850e387550fdab836ed7e6dc881de23001b)'
    )
    expect(run.stdout).toContain('Tracking issue opened: https://github.com/acme/infra/issues/1')
    expect(run.summary.trimEnd().split('\n').pop()).toBe('Tracking issue [#1](https://github.com/acme/infra/issues/1) opened.')
    expect(warnings(run)).toEqual([])
    expectNoLeaks(run, emu, token)
  }, 60_000)

  it('over three runs on one repository: opens the issue (creating its label), comments on the next failure, closes on the success', async () => {
    const emu = await startEmulator(scenarioWithRole(scenario(true)))
    try {
      const env = { ...runnerEnv(emu), GITHUB_API_URL: emu.githubApiUrl, 'INPUT_GITHUB-TOKEN': emu.scenario.github.token }
      const runs = [
        await runAction({ ...baseInputs, ...inputs }, env),
        await runAction({ ...baseInputs, ...inputs, 'secret-string': `${NEW_VALUE}-2` }, env),
        // pdf is fixed by leaving it out: the same secret now rolls out.
        await runAction({ ...baseInputs, ...inputs, 'secret-string': `${NEW_VALUE}-3`, services: 'prod/api' }, env)
      ]
      expect(runs.map((r) => r.code)).toEqual([1, 1, 0])
      expect(emu.github.labels.has('secret-rollout')).toBe(true)
      expect(emu.github.issues).toHaveLength(1)
      expect(emu.github.issues[0]).toMatchObject({ labels: ['secret-rollout'], state: 'closed', state_reason: 'completed' })
      expect(emu.github.issues[0].comments.map((c) => c.split(' ')[0])).toEqual(['Failed', 'Succeeded'])
      for (const run of runs) expectNoLeaks(run, emu, emu.scenario.github.token, [`${NEW_VALUE}-2`, `${NEW_VALUE}-3`])
    } finally {
      await emu.close()
    }
  }, 120_000)

  it('comments on the open issue when the next run fails too', async () => {
    const seeded = [{ title: 'secret-rollout failed: `prod/db` (put)', body: `${MARKER}\nfirst failure`, labels: ['secret-rollout'] }]
    const { run, emu, token } = await runWithIssues(true, { issues: seeded })
    expect(run.code).toBe(1)
    expect(emu.github.issues).toHaveLength(1)
    expect(emu.github.issues[0].state).toBe('open')
    expect(emu.github.issues[0].comments).toHaveLength(1)
    expect(emu.github.issues[0].comments[0]).toMatch(/^Failed again in \[run 1001, attempt 1\]/)
    expectNoLeaks(run, emu, token)
  }, 60_000)

  it('comments and closes it on the next success, and leaves other issues alone', async () => {
    const seeded = [
      { title: 'other', body: '<!-- secret-rollout tracking: secret prod/other -->', labels: ['secret-rollout'] },
      { title: 'secret-rollout failed: `prod/db` (put)', body: `${MARKER}\nfirst failure`, labels: ['secret-rollout'] }
    ]
    const { run, emu, token } = await runWithIssues(false, { issues: seeded })
    expect(run.code).toBe(0)
    expect(emu.github.issues.map((i) => [i.state, i.state_reason, i.comments.length])).toEqual([
      ['open', null, 0],
      ['closed', 'completed', 1]
    ])
    expect(emu.github.issues[1].comments[0]).toMatch(/^Succeeded in \[run 1001, attempt 1\].*Closing\./)
    expectNoLeaks(run, emu, token)
  }, 60_000)

  it('without `issues: write` warns which permission to add and still succeeds a good rotation', async () => {
    const seeded = [{ title: 'old', body: `${MARKER}\nfirst failure`, labels: ['secret-rollout'] }]
    const { run, emu } = await runWithIssues(false, { permission: 'read', issues: seeded })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('succeeded')
    expect(warnings(run)).toEqual([
      {
        level: 'warning',
        title: 'tracking issue',
        message:
          'Could not update the tracking issue: Resource not accessible by integration - https://docs.github.com/rest/issues/comments#create-an-issue-comment (HTTP 403). Add `permissions: issues: write` to the job (the job token needs it to open, comment on and close issues).'
      }
    ])
    expect(emu.github.issues[0]).toMatchObject({ state: 'open', comments: [] })
    // Also in the summary, where GitHub's limit of 10 warnings a step cannot drop it.
    expect(run.summary).toContain('> ⚠️ Could not update the tracking issue: Resource not accessible by integration')
  }, 60_000)

  it('without any issues permission, a failed run still fails for its own reason, with one warning about the issue', async () => {
    const { run, emu } = await runWithIssues(true, { permission: 'none' })
    expect(run.code).toBe(1)
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.title)).toEqual(['prod/pdf'])
    expect(warnings(run).map((a) => a.message)).toEqual([expect.stringContaining('(HTTP 403). Add `permissions: issues: write`')])
    expect(emu.github.issues).toEqual([])
  }, 60_000)
})
