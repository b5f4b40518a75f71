// `npm run docs:picture`: runs the demo and renders its job summary to docs/job-summary.png with
// headless Chromium (Debian's chromium package), for the README. Not part of CI.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { marked } from 'marked'
import { runDemo } from '../demo/demo.js'

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const { run } = await runDemo()
const css = `body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328;margin:24px;width:1180px}
h2{font-size:20px;border-bottom:1px solid #d1d9e0;padding-bottom:6px}h3{font-size:16px;margin-top:20px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d1d9e0;padding:5px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{background:#eff1f3;border-radius:4px;padding:1px 4px;font-size:12px}blockquote{color:#59636e;border-left:3px solid #d1d9e0;margin:0;padding-left:12px}a{color:#0969da}`
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${await marked.parse(run.summary)}</body></html>`
const dir = mkdtempSync(join(tmpdir(), 'summary-'))
writeFileSync(join(dir, 'summary.html'), html)
execFileSync(
  CHROMIUM,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--window-size=1230,660',
    `--screenshot=${join(process.cwd(), 'docs/job-summary.png')}`,
    `file://${join(dir, 'summary.html')}`
  ],
  { stdio: 'ignore' }
)
console.log('docs/job-summary.png written')
