import { describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import { HOSTILE } from '../../../__fixtures__/hostile.js'
import { cell, code, html, quoteBlock, text } from '../../../src/text/markdown.js'

/** The HTML GitHub-flavoured Markdown makes of one table row holding `value` in its middle column. */
function rendered(value: string): string {
  return marked.parse(`| a | b | c |\n|---|---|---|\n| left | ${value} | right |\n`, { gfm: true, async: false })
}

/** What a reader sees: the text of the rendered HTML, entities decoded. */
function visible(htmlText: string): string {
  return htmlText
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#8203;/g, '\u200b')
    .replace(/&amp;/g, '&')
}

describe.each(Object.entries(HOSTILE))('outside text in Markdown: %s', (_name, hostile) => {
  it.each([
    ['cell', cell(hostile)],
    ['code', code(hostile)]
  ])('as a %s, stays in its cell and makes no HTML, link, image or emphasis', (_kind, markdown) => {
    const out = rendered(markdown)
    const cells = [...out.matchAll(/<td>/g)]
    expect(cells).toHaveLength(3)
    expect(out).toMatch(/<td>right<\/td>/)
    expect(out).not.toMatch(/<(img|script|a|em|strong|del|h1|li)\b/)
  })

  it('as text, mentions, references and URLs are broken by a zero-width space', () => {
    const seen = visible(marked.parse(text(hostile), { gfm: true, async: false }))
    expect(seen).not.toMatch(/@\w|#\w|https?:\/\/|www\./)
  })
})

describe('Markdown from outside text', () => {
  it('escapes HTML and Markdown punctuation, keeps words with underscores as they are', () => {
    expect(text('<b>IN_PROGRESS</b> _x_ *y* [z](u) a|b `c` @team #1 https://e.example')).toBe(
      '&lt;b&gt;IN_PROGRESS&lt;/b&gt; \\_x\\_ \\*y\\* \\[z\\](u) a\\|b \\`c\\` @&#8203;team #&#8203;1 https:&#8203;//e.example'
    )
  })

  it('escapes a heading, quote or list marker at the start, and joins lines with a space', () => {
    expect(text('# x\n- y')).toBe('\\# x - y')
    expect(text('1. one')).toBe('1\\. one')
  })

  it('keeps the lines of a cell apart with <br>', () => {
    expect(cell('first\r\n  second\n\nthird')).toBe('first<br>second<br>third')
  })

  it('fences a code span one backtick longer than the longest run inside, padded at a backtick', () => {
    expect(code('a`b')).toBe('``a`b``')
    expect(code('`x``')).toBe('``` `x`` ```')
    expect(code('a|b\\|c')).toBe('`a\\|b\\ \\|c`')
    expect(code('a|b', false)).toBe('`a|b`')
    expect(code(undefined)).toBe('–')
  })

  it('cuts a long text and says how much', () => {
    expect(text('A'.repeat(2005))).toBe(`${'A'.repeat(2000)}… (5 more characters)`)
  })

  it('makes control characters visible', () => {
    expect(text('\u001b[2Kx')).toBe('\uFFFD\\[2Kx')
  })

  it('escapes HTML for an HTML block, without Markdown escapes', () => {
    expect(html('<b>a_b</b> @x')).toBe('&lt;b&gt;a_b&lt;/b&gt; @&#8203;x')
  })

  it('keeps a list a list in a quote', () => {
    expect(quoteBlock('**Invalid inputs:** ', 'Invalid inputs:\n  - `a`: bad\n  - <b>: worse')).toEqual([
      '> **Invalid inputs:** Invalid inputs:',
      '> - \\`a\\`: bad',
      '> - &lt;b&gt;: worse'
    ])
  })
})
