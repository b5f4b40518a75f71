import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runScenario } from '../../__fixtures__/e2e.js'
import { fleet } from '../../__fixtures__/fleet.js'
import { mermaidBlocks, openBrowser, renderMermaid } from '../../__fixtures__/mermaid-browser.js'
import { TIMELINE_MAX_SERVICES, timelineLines } from '../../src/report/timeline.js'

// The summary's Mermaid timeline, drawn by mermaid from npm in headless Chromium: a chart GitHub
// would refuse ("Unable to render rich display") fails here.
describe('the summary timeline in a real browser', () => {
  let browser: Awaited<ReturnType<typeof openBrowser>>
  beforeAll(async () => {
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  it('renders the Gantt chart of a put with one failed service out of three: the secret bar, then each service, the failure marked', async () => {
    const { run } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'Timeline-Old-1' }],
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'api', deploymentMs: 600 },
              { name: 'pdf', deploymentMs: 400, outcome: 'circuit-breaker' },
              { name: 'front', deploymentMs: 900 }
            ]
          }
        ]
      },
      { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'Timeline-New-2', services: 'prod/api\nprod/pdf\nprod/front' }
    )
    expect(run.code).toBe(1)
    const [chart, ...more] = mermaidBlocks(run.summary)
    expect(more).toEqual([])
    const rendered = await renderMermaid(browser.context, chart)
    expect(rendered.error).toBeUndefined()
    expect(rendered.bars).toBe(4)
    expect(rendered.labels.sort()).toEqual(['api', 'front', 'pdf (failed)', 'put prod/db'])
    // The failed service's bar is drawn as critical.
    expect(rendered.svg).toMatch(/class="[^"]*crit[^"]*"/)
  }, 90_000)

  it('renders the 40 bars kept of a 2,000-service fleet', async () => {
    const services = fleet(2000, 20, (i) => (i % 100 === 5 ? 'failed' : i % 100 === 7 ? 'timed-out' : 'succeeded')).map((s, i) => ({
      ...s,
      startedAt: Date.UTC(2026, 10, 22, 3) + i * 50
    }))
    const [chart] = mermaidBlocks(timelineLines({ services, waited: true }).join('\n'))
    const rendered = await renderMermaid(browser.context, chart)
    expect(rendered.error).toBeUndefined()
    expect(rendered.bars).toBe(TIMELINE_MAX_SERVICES)
    expect(rendered.labels.filter((l) => l.endsWith('(failed)'))).toHaveLength(20)
  }, 30_000)

  it('fails on a chart Mermaid refuses, so the check above can fail', async () => {
    const rendered = await renderMermaid(browser.context, 'gantt\n  dateFormat x\n  section prod\n  api :done, s0, notatime, 5\n')
    expect(rendered.error).toEqual(expect.any(String))
  }, 30_000)
})
