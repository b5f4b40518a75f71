/** Text made safe for one table cell: no column breaks, no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n\s*/g, ' ')
}

export function code(text: string | undefined): string {
  return text ? `\`${text}\`` : '–'
}

/** Bytes of markdown lines joined with newlines, as the summary file holds them. */
export function byteLength(lines: string[]): number {
  return lines.reduce((n, line) => n + Buffer.byteLength(line, 'utf8') + 1, 0)
}
