import { escapeText } from 'entities/escape'
import { clip, oneLine, printable } from './outside-text.js'

/**
 * Markdown (job summary, tracking issue) from outside text: names, reasons and `valueFrom`s that
 * AWS or a user wrote. Nothing in them becomes markup: no HTML, no link, no image, no emphasis,
 * no mention or issue reference that notifies anyone, no line break that ends a table row or a
 * quote. Links in a summary are only those the action builds itself from its own URLs.
 */

/** Inserted after `@`, `#` and a URL's scheme: GitHub no longer sees a mention, a reference or a link. */
const BREAK = '&#8203;'

/**
 * Outside text as inline Markdown, safe in a table cell, a quote or a sentence: one line, HTML
 * escaped, Markdown punctuation escaped, `@team` and `#123` neither notify nor link, bare URLs
 * not linked.
 */
export function text(raw: string): string {
  // Every character that can open a Markdown construct inline (emphasis, code, links, cells, strikethrough).
  const escaped = escapeText(clip(oneLine(printable(raw))))
    .replace(/[\\`*[\]|~!]/g, '\\$&')
    // `_` between letters or digits never emphasises (IN_PROGRESS, DB_PASSWORD): only the others.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    // A heading, quote, list or thematic break, should the text start a line.
    .replace(/^([#>+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
  return breakReferences(escaped)
}

/**
 * Outside text for one table cell: each line as `text` makes it, joined with `<br>`, so a reason
 * of several lines keeps them without ending the row.
 */
export function cell(raw: string): string {
  return raw
    .split(/\r\n|[\r\n\u0085\u2028\u2029]/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map(text)
    .join('<br>')
}

/**
 * Outside text as a code span that nothing inside can close: the fence is one backtick longer
 * than the longest run of backticks in the text, and padded when the text starts or ends with a
 * backtick or a space (CommonMark strips one space each side). Inside a code span HTML, links
 * and mentions are literal. In a table (`inTable`, the default) a `|` is escaped, as GFM wants
 * even inside code; a backslash right before it is kept apart from it, or the pair would read
 * as an escaped backslash and a column break. Empty or missing text is shown as `–`.
 */
export function code(raw: string | undefined, inTable = true): string {
  if (!raw) return '–'
  let body = clip(oneLine(printable(raw)))
  if (inTable) body = body.replace(/\\(?=\|)/g, '\\ ').replace(/\|/g, '\\|')
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : ''
  return `${fence}${pad}${body}${pad}${fence}`
}

/**
 * A link the action builds itself: `label` is outside text (escaped as `text` does), `url` the
 * action's own, whose components the caller percent-encoded (`encodeURIComponent`). What could
 * still end the link or a table cell in it (`(`, `)`, `<`, `>`, `|`, whitespace) is encoded too.
 */
export function link(label: string, url: string): string {
  const target = url.replace(/[()<>|\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `[${text(label)}](${target})`
}

/** Outside text inside an HTML block (`<details><summary>`), where Markdown escapes do not apply. */
export function html(raw: string): string {
  return breakReferences(escapeText(clip(oneLine(printable(raw)))))
}

/** One pass each, `#` before `@`: the `&#8203;` a pass inserts is never matched again. */
function breakReferences(markdown: string): string {
  return markdown
    .replace(/#(?=\w)/g, `#${BREAK}`)
    .replace(/@/g, `@${BREAK}`)
    .replace(/\b((?:https?|ftp|mailto|xmpp):)/gi, `$1${BREAK}`)
    .replace(/\b(www)\./gi, `$1${BREAK}.`)
}

/**
 * A message of several lines (an error that lists its problems) as quoted Markdown that keeps
 * its structure: a line `- item` (any indent) stays a list item, every other line a line of the
 * quote, each made safe with `text`. The first line follows `lead` (already Markdown).
 */
export function quoteBlock(lead: string, message: string): string[] {
  const lines = message.split(/\r\n|\r|\n/).filter((l) => l.trim())
  return lines.map((line, i) => {
    const item = /^\s*[-*]\s+(.*)$/.exec(line)
    const body = item ? `- ${text(item[1])}` : text(line.trim())
    return i === 0 ? `> ${lead}${body}` : `> ${body}`
  })
}

/** Bytes of markdown lines joined with newlines, as the summary file holds them. */
export function byteLength(lines: string[]): number {
  return lines.reduce((n, line) => n + Buffer.byteLength(line, 'utf8') + 1, 0)
}
