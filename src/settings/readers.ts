import { parseDurationSeconds } from '../duration.js'

/** One input's text, trimmed as the runner passes it ('' when not set). */
export type Input = (name: string) => string
/** Records a problem with one input; every problem is reported at once. */
export type Bad = (name: string, message: string) => void

/** What every reader needs: the inputs, and where to record a problem (each message names its input). */
export interface Reader {
  input: Input
  bad: Bad
}

const MAX_DURATION_SECONDS = 24 * 3600

// The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

export function readBoolean({ input, bad }: Reader, name: string, fallback: boolean): boolean {
  const text = input(name)
  if (!text) return fallback
  if (TRUE.includes(text)) return true
  if (FALSE.includes(text)) return false
  bad(name, `"${text}" is not true or false`)
  return fallback
}

export function readInteger({ input, bad }: Reader, name: string, fallback: number, min: number, max: number): number {
  const text = input(name)
  if (!text) return fallback
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    bad(name, `"${text}" is not a whole number from ${min} to ${max}`)
    return fallback
  }
  return Number(text)
}

/** A duration between 1s and 24h, in seconds (0 when it is not one). */
export function readDuration({ input, bad }: Reader, name: string, fallback: string): number {
  const text = input(name) || fallback
  const seconds = parseDurationSeconds(text)
  if (seconds === undefined || seconds < 1 || seconds > MAX_DURATION_SECONDS) {
    bad(name, `"${text}" is not a duration between 1s and 24h: write 90s, 10m, 1h or plain seconds`)
    return 0
  }
  return seconds
}

/**
 * One of `values` (the first when unset). Another text is a problem, and then the result is
 * undefined, so no rule between inputs fires on a value that is not one.
 */
export function readEnum<T extends string>({ input, bad }: Reader, name: string, values: readonly T[]): T | undefined {
  const text = input(name) || values[0]
  if ((values as readonly string[]).includes(text)) return text as T
  const choices = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`
  bad(name, `"${text}" is not ${choices}`)
  return undefined
}

/** Entries separated by spaces, commas or new lines. */
export function readList({ input }: Reader, name: string): string[] {
  return input(name)
    .split(/[\s,]+/)
    .filter(Boolean)
}
