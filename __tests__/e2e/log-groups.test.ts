import { describe, expect, it } from '@jest/globals'
import { errors, runScenario } from '../../__fixtures__/e2e.js'

const world = {
  secrets: [{ name: 'prod/db', value: 'group-test-value-1' }],
  clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 300 }] }]
}
/** The log's group commands and annotations, in order. */
const outline = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^::(group|endgroup|error|notice)/.test(l))
    .map((l) =>
      l.replace(/^(::\w+)(?: [^:]*)?::(.*)$/, (_, command: string, text: string) =>
        command === '::group' ? `${command}::${text}` : command
      )
    )

describe('the log, one group per stage', () => {
  it('opens a group for each stage, closes it before the next, and prints the report after the last', async () => {
    const { run } = await runScenario(world, { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api' })
    expect(errors(run)).toEqual([])
    expect(outline(run.stdout)).toEqual([
      '::group::AWS credentials',
      '::endgroup',
      '::group::Secret pre-check',
      '::endgroup',
      '::group::Service preflight',
      '::endgroup',
      '::group::Secret change',
      '::endgroup',
      '::group::Redeploy',
      '::endgroup',
      '::group::Wait for deployments',
      '::endgroup',
      '::notice'
    ])
  }, 30_000)

  it('closes the group a failed stage was in before the error, so the error is not folded away', async () => {
    const { run } = await runScenario(world, { mode: 'put', 'secret-id': 'prod/gone', 'generate-password': 'true', services: 'prod/api' })
    expect(run.code).toBe(1)
    expect(outline(run.stdout)).toEqual([
      '::group::AWS credentials',
      '::endgroup',
      '::group::Secret pre-check',
      '::endgroup',
      '::error',
      '::notice'
    ])
  }, 30_000)
})
