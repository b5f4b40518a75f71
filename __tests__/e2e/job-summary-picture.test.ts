import { describe, expect, it } from '@jest/globals'
import { readFileSync, statSync } from 'node:fs'
import { runDemo } from '../../demo/demo.js'
import { PICTURE, PICTURE_SOURCE, stableSummary } from '../../scripts/summary-picture.js'

describe("the README's picture of the job summary", () => {
  const source = readFileSync(PICTURE_SOURCE, 'utf8')

  it('was rendered from what the demo summary says today (renew both with npm run docs:picture)', async () => {
    const { run } = await runDemo()
    expect(run.code).toBe(0)
    expect(stableSummary(run.summary)).toBe(stableSummary(source))
    // npm run docs:picture writes the picture and its source from one demo run.
    expect(statSync(PICTURE).size).toBeGreaterThan(10_000)
  }, 60_000)

  it('leaves out only what changes from run to run: a new column, row or section is a difference', () => {
    const again = source
      .replace(/`[0-9a-f]{8}-[0-9a-f-]{27}`/g, '`00000000-0000-0000-0000-000000000000`')
      .replace(/\b\d{13}\b/g, '1700000000000')
      .replace(/\| \d+s \|/g, '| 42s |')
      .replace(/(service-reads \| )\d+/, '$199')
    expect(stableSummary(again)).toBe(stableSummary(source))
    expect(stableSummary(source.replace('| redeployed by |', '| redeployed by | console |'))).not.toBe(stableSummary(source))
    expect(stableSummary(source.replace('| batch | pdf |', '| batch | pdf2 |'))).not.toBe(stableSummary(source))
    expect(stableSummary(source.replace('### API use', '### API usage'))).not.toBe(stableSummary(source))
  })
})
