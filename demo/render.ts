/** Renders the job summary's markdown for a terminal: headings, quotes and aligned tables. */
export function renderMarkdown(markdown: string): string {
  const out: string[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.startsWith('|')) {
      const rows: string[][] = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) {
        if (/^\|[-| ]+\|$/.test(lines[i])) continue
        rows.push(splitRow(lines[i]))
      }
      i--
      out.push(...table(rows))
    } else if (line.startsWith('#')) {
      out.push(`\x1b[1m${line.replace(/^#+\s*/, '')}\x1b[0m`)
    } else {
      out.push(
        line
          .replace(/\*\*(.*?)\*\*/g, '\x1b[1m$1\x1b[0m')
          .replace(/`([^`]*)`/g, '$1')
          .replace(/^> /, '  │ ')
      )
    }
  }
  return out.join('\n')
}

function splitRow(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|').replace(/`/g, ''))
}

// Emoji take two columns in a terminal.
const width = (text: string) => [...text].reduce((n, ch) => n + (/\p{Extended_Pictographic}/u.test(ch) ? 2 : /\uFE0F/.test(ch) ? -1 : 1), 0)

function table(rows: string[][]): string[] {
  const maxCell = 60
  const clipped = rows.map((r) => r.map((c) => (c.length > maxCell ? `${c.slice(0, maxCell - 1)}…` : c)))
  const widths = clipped[0].map((_, col) => Math.max(...clipped.map((r) => width(r[col] ?? ''))))
  return clipped.map((r, index) => {
    const text = r.map((c, col) => c + ' '.repeat(widths[col] - width(c))).join('  ')
    return index === 0 ? `\x1b[4m${text}\x1b[0m` : text
  })
}
