import {
  InputError,
  readSettings,
  type PutSettings,
  type SecretChangeSettings,
  type Settings,
  type SettingsIO
} from '../src/settings/index.js'

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

/** settingsFrom for a mode that changes the secret (rotate, put): fails the test on another. */
export function changeSettingsFrom(...args: Parameters<typeof settingsFrom>): { settings: SecretChangeSettings; masked: string[] } {
  const { settings, masked } = settingsFrom(...args)
  if (settings.mode === 'redeploy') throw new Error('mode redeploy changes no secret: these inputs are not for this test')
  return { settings, masked }
}

/** settingsFrom for mode put: fails the test on another mode. */
export function putSettingsFrom(...args: Parameters<typeof settingsFrom>): { settings: PutSettings; masked: string[] } {
  const { settings, masked } = settingsFrom(...args)
  if (settings.mode !== 'put') throw new Error(`mode ${settings.mode}: these inputs are not for a put`)
  return { settings, masked }
}

/** The problems readSettings finds in these inputs ([] when it finds none); anything but an InputError fails the test. */
export function problemsOf(inputs: Record<string, string>, env?: NodeJS.ProcessEnv, files?: Record<string, string>): string[] {
  try {
    settingsFrom(inputs, env, files)
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  return []
}
