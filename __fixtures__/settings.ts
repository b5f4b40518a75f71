import { readSettings, type Settings, type SettingsIO } from '../src/settings.js'

/** Reads settings from a plain map of inputs, as a runner would pass them. */
export function settingsFrom(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' },
  files: Record<string, string> = {}
): { settings: Settings; masked: string[] } {
  const masked: string[] = []
  const io: SettingsIO = {
    getInput: (name) => inputs[name] ?? '',
    env,
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return files[path]
    },
    mask: (value) => masked.push(value)
  }
  return { settings: readSettings(io), masked }
}
