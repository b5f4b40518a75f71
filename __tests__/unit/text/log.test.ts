import { describe, expect, it } from '@jest/globals'
import { HOSTILE } from '../../../__fixtures__/hostile.js'
import { annotationTitle, logText } from '../../../src/text/log.js'

/** The lines the runner reads as workflow commands, split as it splits them (CR, LF, CRLF). */
function commandsIn(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['))
}

describe('log lines from outside text', () => {
  it.each(Object.entries(HOSTILE))('%s: no line can be read as a workflow command', (_name, hostile) => {
    expect(commandsIn(logText(`prod/api: failed (${hostile})`))).toEqual([])
    expect(commandsIn(logText(hostile))).toEqual([])
  })

  it('marks continuation lines and a line that would start a command, and breaks ##[', () => {
    expect(logText('a: stopped\n::stop-commands::x\r\n  ::error::y\rz ##[add-mask]w')).toBe(
      'a: stopped\n│ ::stop-commands::x\n│   ::error::y\n│ z ## [add-mask]w'
    )
    expect(logText('::error::x')).toBe('│ ::error::x')
    expect(logText('ordinary line: 50%0A done')).toBe('ordinary line: 50%0A done')
  })

  it('cuts a very long line', () => {
    expect(logText('B'.repeat(4010))).toBe(`${'B'.repeat(4000)}… (10 more characters)`)
  })

  it('makes an annotation title one short line', () => {
    expect(annotationTitle('prod/api\n::error::x')).toBe('prod/api ::error::x')
    expect(annotationTitle('t'.repeat(250))).toBe(`${'t'.repeat(200)}… (50 more characters)`)
  })
})
