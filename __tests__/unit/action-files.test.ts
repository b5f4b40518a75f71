import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../../src/constants.js'
import { outputsOf } from '../../src/report/outputs.js'
import { readSettings } from '../../src/settings.js'

// @action-validator/core is the library behind `npx @action-validator/cli`.
const { validateAction, validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateAction(src: string): { errors: unknown[] }
  validateWorkflow(src: string): { errors: unknown[] }
}
const actionYml = readFileSync('action.yml', 'utf8')
const action = parse(actionYml) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('is a valid action (runs.using aside: action-validator 0.6.0 does not know node24 yet)', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(validateAction(actionYml.replace('using: node24', 'using: node20')).errors).toEqual([])
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
  const files = [
    ...readdirSync('examples').map((f) => `examples/${f}`),
    ...readdirSync('.github/workflows').map((f) => `.github/workflows/${f}`)
  ]

  it.each(files)('%s is a valid workflow', (file) => {
    expect(validateWorkflow(readFileSync(file, 'utf8')).errors).toEqual([])
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

  it('the scheduled rotation opens a tracking issue', () => {
    expect(readFileSync('examples/scheduled-rotation.yml', 'utf8')).toMatch(/^\s*failure-issue: true/m)
  })
})

describe('README', () => {
  it('has the inputs and outputs tables generated from action.yml (npm run docs)', async () => {
    const { readFiles, updateReadme } = await import('../../scripts/docs.js')
    const { readme, actionYml } = readFiles()
    expect(readme).toBe(updateReadme(readme, actionYml))
  })
})
