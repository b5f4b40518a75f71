/**
 * What every destination does first with text from outside (AWS, users): one line, no control
 * characters, and a bounded length. Each destination then escapes what is markup there:
 * `log.ts` for log lines, `markdown.ts` for the summary and the tracking issue.
 */

/** AWS reasons are a few hundred characters; past this a piece of text is cut, and says so. */
export const MAX_TEXT = 2000

/** CR, LF, CRLF and Unicode line and paragraph separators, with the spaces around them. */
const LINE_BREAKS = /[ \t]*(?:\r\n|[\r\n\u0085\u2028\u2029])[ \t]*/g

/** One line: every line break, with the spaces around it, becomes one space. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ')
}

/**
 * Control characters (ANSI escapes that recolour or erase a log line, NUL, backspace) become
 * `�`; tab and line breaks are kept, for the destination to deal with.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g, '\uFFFD')
}

/** At most `max` characters, then how many were cut. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`
}
