import { jest } from '@jest/globals'

/** A stand-in for @actions/core that records what the action told the runner. */
export function fakeCore(inputs: Record<string, string>) {
  const record = {
    outputs: {} as Record<string, string>,
    errors: [] as { message: string; title?: string }[],
    notices: [] as string[],
    logs: [] as string[],
    debug: [] as string[],
    masked: [] as string[],
    summary: [] as string[],
    /** `::group::` titles and `::endgroup::` (as `end`), in order. */
    groups: [] as string[]
  }
  const core = {
    getInput: jest.fn((name: string) => inputs[name] ?? ''),
    setSecret: jest.fn((v: string) => void record.masked.push(v)),
    setOutput: jest.fn((name: string, value: string) => void (record.outputs[name] = value)),
    info: jest.fn((m: string) => void record.logs.push(m)),
    debug: jest.fn((m: string) => void record.debug.push(m)),
    warning: jest.fn((m: string) => void record.logs.push(`warning: ${m}`)),
    error: jest.fn((message: string, props?: { title?: string }) => void record.errors.push({ message, title: props?.title })),
    notice: jest.fn((m: string) => void record.notices.push(m)),
    startGroup: jest.fn((title: string) => void record.groups.push(title)),
    endGroup: jest.fn(() => void record.groups.push('end')),
    getIDToken: jest.fn(async () => 'oidc-token-value'),
    ExitCode: { Success: 0, Failure: 1 },
    summary: {
      // As @actions/core: the text, and a line break when asked for one.
      addRaw(text: string, addEOL = false) {
        record.summary.push(addEOL ? `${text}\n` : text)
        return this
      },
      write: async () => undefined
    }
  }
  return { core, record }
}
