// `npm run docs:picture`: runs the demo and renders its job summary, Mermaid timeline included, to
// docs/job-summary.png with headless Chromium (Debian's chromium and fonts-noto-color-emoji), for the
// README, and writes the summary's Markdown beside it (docs/job-summary.md): a test fails when the
// demo's summary no longer matches it, so the picture is renewed with it.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { marked } from 'marked'
import { openBrowser } from '../__fixtures__/mermaid-browser.js'
import { runDemo } from '../demo/demo.js'
import { PICTURE, PICTURE_SOURCE } from './summary-picture.js'

const { run } = await runDemo()
const css = `body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328;margin:24px;width:1180px}
h2{font-size:20px;border-bottom:1px solid #d1d9e0;padding-bottom:6px}h3{font-size:16px;margin-top:20px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d1d9e0;padding:5px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{background:#eff1f3;border-radius:4px;padding:1px 4px;font-size:12px}blockquote{color:#59636e;border-left:3px solid #d1d9e0;margin:0;padding-left:12px}a{color:#0969da}`
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${await marked.parse(run.summary)}</body></html>`
// marked leaves ```mermaid blocks as code: GitHub draws them, and so does mermaid from npm here.
const page = html.replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>')
const { context, close } = await openBrowser()
try {
  const tab = await context.newPage()
  await tab.setViewportSize({ width: 1230, height: 660 })
  await tab.setContent(page)
  await tab.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') })
  await tab.evaluate(async () => {
    const { mermaid } = globalThis as unknown as { mermaid: { initialize(c: object): void; run(): Promise<void> } }
    mermaid.initialize({ startOnLoad: false, theme: 'default' })
    await mermaid.run()
  })
  await tab.screenshot({ path: join(process.cwd(), PICTURE), fullPage: true })
  writeFileSync(PICTURE_SOURCE, run.summary)
} finally {
  await close()
}
console.log(`${PICTURE} and ${PICTURE_SOURCE} written`)
