import { clip, printable } from './outside-text.js'

/**
 * The runner reads every line of a step's output, split at CR, LF or CRLF, as a possible
 * workflow command: a line that starts with `::` after spaces (`::stop-commands::`,
 * `::add-mask::`, `::error::`), or one that holds `##[` anywhere (the older syntax).
 */
const LINE = /\r\n|\r|\n/
const COMMAND = /^\s*::/
const LEGACY_COMMAND = /##\[/g

/** Marks a line that is not the first of its message, or that would have read as a command. */
export const CONTINUATION = '│ '

/** A log line is cut here: a reason of a few kilobytes is noise, the summary has it whole. */
export const MAX_LOG_LINE = 4000

/**
 * A message for `core.info` that the runner cannot read as a command, whatever outside text it
 * holds: each line after the first, and any line that starts with `::`, begins with `│ `;
 * `##[` becomes `## [`; control characters become `�`; lines are cut at `MAX_LOG_LINE`. A `%0A`
 * needs nothing: the runner decodes it only inside a command.
 */
export function logText(message: string): string {
  return printable(message)
    .split(LINE)
    .map((raw, i) => {
      const line = clip(raw.replace(LEGACY_COMMAND, '## ['), MAX_LOG_LINE)
      return i > 0 || COMMAND.test(line) ? `${CONTINUATION}${line}` : line
    })
    .join('\n')
}

/** An annotation's title: one line, printable, short (@actions/core escapes `:`, `,` and `%`). */
export function annotationTitle(title: string): string {
  return clip(printable(title).replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '), 200)
}
