import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's chromium, installed by scripts/ensure-debian-packages.sh (playwright-core downloads no browser). */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')

export interface Rendered {
  /** Mermaid's error message, if it refused the chart. */
  error?: string
  svg?: string
  /** The Gantt bars drawn, and their labels. */
  bars: number
  labels: string[]
}

/** Headless Chromium with an empty profile and nothing that reaches the network. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** Renders one Mermaid chart with mermaid from npm, as GitHub does in a summary or an issue. */
export async function renderMermaid(context: BrowserContext, chart: string): Promise<Rendered> {
  const page = await context.newPage()
  try {
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>')
    await page.addScriptTag({ path: MERMAID })
    return await page.evaluate(async (text) => {
      // Runs in the page: only what the browser has (no DOM types in this Node project).
      const page = globalThis as unknown as {
        mermaid: { initialize(config: object): void; render(id: string, text: string): Promise<{ svg: string }> }
        document: {
          getElementById(id: string): { innerHTML: string; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }
        }
      }
      page.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })
      try {
        const { svg } = await page.mermaid.render('chart', text)
        const out = page.document.getElementById('out')
        out.innerHTML = svg
        const bars = out.querySelectorAll('rect.task').length
        const labels = Array.from(out.querySelectorAll('text.taskText, text.taskTextOutsideRight, text.taskTextOutsideLeft')).map((t) =>
          (t.textContent ?? '').trim()
        )
        return { svg, bars, labels }
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error), bars: 0, labels: [] }
      }
    }, chart)
  } finally {
    await page.close()
  }
}

/** The ```mermaid blocks of a markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1])
}
