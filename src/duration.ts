const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 }
const DURATION = /^(\d+)\s*([smh]?)$/

/**
 * Parses `90s`, `10m`, `1h` or plain seconds into seconds.
 * Returns undefined for anything else so the caller can name the input in its error.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  return `${Math.floor(m / 60)}h ${m % 60}m`
}
