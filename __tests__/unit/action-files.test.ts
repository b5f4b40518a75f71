import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../../src/constants.js'
import { outputsOf } from '../../src/report/outputs.js'
import { readSettings } from '../../src/settings/index.js'
import { actionProblems, workflowFiles, workflowProblems } from '../../scripts/validate-actions.js'

const actionYml = readFileSync('action.yml', 'utf8')
const action = parse(actionYml) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('is a valid action on node24, as GitHub parses it (@actions/workflow-parser)', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(actionProblems('action.yml', actionYml)).toEqual([])
  })

  it('has a description the Marketplace accepts (under 125 characters) and a named author', () => {
    const meta = parse(actionYml) as { description: string; author: string }
    expect(meta.description.length).toBeLessThan(125)
    expect(meta.author).not.toBe('secret-rollout')
  })

  it('the validator catches what GitHub would refuse', () => {
    expect(actionProblems('action.yml', actionYml.replace('using: node24', 'using: node99'))).toEqual([
      expect.stringContaining("Unexpected value 'node99'")
    ])
    expect(actionProblems('action.yml', actionYml.replace('runs:', 'run:'))).toContain(
      'action.yml (Line: 1, Col: 1): Required property is missing: runs'
    )
    expect(actionProblems('action.yml', `${actionYml}\nbranding2: {}\n`)).toEqual([expect.stringContaining("Unexpected value 'branding2'")])
  })

  it('declares exactly the inputs the code reads', () => {
    const read = new Set<string>()
    try {
      readSettings({ getInput: (name) => (read.add(name), ''), env: {}, readFile: () => '', mask: () => undefined })
    } catch {
      // Empty inputs are invalid; every input was still read.
    }
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort())
    expect(Object.values(Inputs).sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    const set = Object.keys(outputsOf({ services: [], waited: false }))
    expect(set.sort()).toEqual(Object.keys(action.outputs).sort())
    expect(Object.values(Outputs).sort()).toEqual(Object.keys(action.outputs).sort())
  })
})

describe('workflows', () => {
  const files = workflowFiles()

  it.each(files)('%s is a valid workflow', async (file) => {
    expect(await workflowProblems(file, readFileSync(file, 'utf8'))).toEqual([])
  })

  it.each(files.filter((f) => f.startsWith('examples/')))('%s gives this action only inputs it declares', (file) => {
    // The workflow schema cannot know an action's inputs: a misspelt `with:` key is silently ignored by the runner.
    const workflow = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { steps: { uses?: string; with?: object }[] }> }
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses?.startsWith('acme/secret-rollout@')))
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) expect(Object.keys(step.with ?? {}).filter((name) => !(name in action.inputs))).toEqual([])
  })

  it('the validator catches a misspelt key and a permission GitHub does not know', async () => {
    const workflow = readFileSync('examples/scheduled-rotation.yml', 'utf8')
    expect(await workflowProblems('w.yml', workflow.replace('runs-on:', 'run-on:'))).toEqual(
      expect.arrayContaining([expect.stringContaining("Unexpected value 'run-on'")])
    )
    expect(await workflowProblems('w.yml', workflow.replace('issues: write', 'issues: writ'))).toEqual([
      expect.stringContaining("Unexpected value 'writ'")
    ])
  })

  it.each(files.filter((f) => f.startsWith('examples/')))(
    '%s grants the OIDC token, read-only contents, and issues: write only with failure-issue',
    (file) => {
      const text = readFileSync(file, 'utf8')
      const workflow = parse(text) as { permissions: Record<string, string> }
      const tracking = /^\s*failure-issue: true/m.test(text)
      expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read', ...(tracking ? { issues: 'write' } : {}) })
    }
  )

  it.each(files)('%s pins every action it uses by full commit SHA, with the version in a comment', (file) => {
    const uses = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((m) => m[1])
    const others = uses.filter((u) => !u.startsWith('acme/secret-rollout@') && !u.startsWith('./'))
    expect(others.filter((u) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(u))).toEqual([])
  })

  it.each(files.filter((f) => f.startsWith('examples/')))(
    '%s holds the one concurrency rule, secret-rollout-<secret-id>, and never cancels a run under way',
    (file) => {
      const workflow = parse(readFileSync(file, 'utf8')) as {
        concurrency: { group: string; 'cancel-in-progress': boolean }
        jobs: Record<string, { concurrency?: unknown; steps: { with?: Record<string, string> }[] }>
      }
      const secretIds = new Set(Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.with?.['secret-id']).filter(Boolean)))
      expect([...secretIds]).toHaveLength(1)
      expect(workflow.concurrency).toEqual({ group: `secret-rollout-${[...secretIds][0]}`, 'cancel-in-progress': false })
      expect(Object.values(workflow.jobs).filter((job) => job.concurrency)).toEqual([])
    }
  )

  it('the scheduled rotation opens a tracking issue', () => {
    expect(readFileSync('examples/scheduled-rotation.yml', 'utf8')).toMatch(/^\s*failure-issue: true/m)
  })
})

describe('releases', () => {
  type Job = { permissions: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }
  const release = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
    on: { push: { tags: string[] } }
    jobs: { release: Job }
  }

  it('runs on a version tag: tests, checks dist/, attests every file of dist/ it runs and creates the release once', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } })
    const { steps, permissions } = release.jobs.release
    const runs = steps.map((s) => s.run ?? s.uses ?? '')
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r))
    expect(at(/^npm test$/)).toBeGreaterThan(at(/^npm ci$/))
    expect(at(/git status --porcelain dist/)).toBeGreaterThan(at(/^npm test$/))
    expect(steps[at(/^actions\/attest@/)].with).toEqual({ 'subject-path': 'dist/*.js' })
    expect(at(/^gh release create .*--notes-file/)).toBeGreaterThan(at(/^actions\/attest@/))
    expect(runs.filter((r) => /gh release (upload|edit)|git push|--force/.test(r))).toEqual([])
    expect(permissions).toEqual({ contents: 'write', 'id-token': 'write', attestations: 'write', 'artifact-metadata': 'write' })
  })

  it('keeps the Node version of .node-version (24) and the runtime action.yml declares in every workflow', () => {
    expect(readFileSync('.node-version', 'utf8').trim()).toBe('24')
    for (const file of workflowFiles().filter((f) => f.startsWith('.github/'))) {
      expect(readFileSync(file, 'utf8')).not.toMatch(/node-version: /)
    }
  })
})

describe('README', () => {
  it('has the inputs and outputs tables generated from action.yml (npm run docs)', async () => {
    const { readFiles, updateReadme } = await import('../../scripts/docs.js')
    const { readme, actionYml } = readFiles()
    expect(readme).toBe(updateReadme(readme, actionYml))
  })
})
