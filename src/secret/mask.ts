/**
 * What is registered with the runner's masking for one secret value. The runner registers each
 * `::add-mask::` value exactly as given and masks output line by line, so a value of several
 * lines, or one with a trailing newline, is never found whole in a line: its lines are
 * registered too. A mask also removes a job output that holds it, and blanks every log and
 * summary line it occurs in, so JSON fields are registered only when they may be secret:
 *
 * - the whole value, and the whole value without its trailing newline;
 * - each line (CR removed, spaces trimmed) of at least `MIN_LINE` characters;
 * - for JSON, each string field (at any depth) of at least `MIN_FIELD` characters that is not part
 *   of a name the report must show (a listed cluster or service, the secret's name). Numbers,
 *   booleans, keys and short strings (`5432`, `true`, `app`, `db`) are not secrets on their own,
 *   and masking them would blank ordinary log lines and drop the `services` output.
 */
export const MIN_LINE = 3
export const MIN_FIELD = 6

export function maskParts(value: string, shownNames: readonly string[] = []): string[] {
  const parts = new Set<string>([value])
  const withoutNewline = value.replace(/\r?\n$/, '')
  if (withoutNewline) parts.add(withoutNewline)
  for (const raw of value.split('\n')) {
    const line = raw.replace(/\r$/, '').trim()
    if (line.length >= MIN_LINE) parts.add(line)
  }
  let document: unknown
  try {
    document = JSON.parse(value)
  } catch {
    // Not JSON: the whole value and its lines.
  }
  for (const field of stringFields(document)) {
    if (field.length >= MIN_FIELD && !shownNames.some((name) => name.includes(field))) parts.add(field)
  }
  return [...parts].filter(Boolean)
}

/** Registers `value` by `maskParts`, at once. */
export function maskSecretValue(value: string, mask: (v: string) => void, shownNames: readonly string[] = []): void {
  for (const part of maskParts(value, shownNames)) mask(part)
}

/**
 * A `mask(value)` for every value of one run (new, generated, merged, previous) that registers
 * each part once: the runner's log would otherwise repeat `::add-mask::` lines.
 */
export function secretMasker(register: (v: string) => void, shownNames: readonly string[]): (value: string) => void {
  const done = new Set<string>()
  return (value) => {
    for (const part of maskParts(value, shownNames)) {
      if (done.has(part)) continue
      done.add(part)
      register(part)
    }
  }
}

function stringFields(node: unknown, into: string[] = []): string[] {
  if (typeof node === 'string') into.push(node)
  else if (Array.isArray(node)) node.forEach((n) => stringFields(n, into))
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => stringFields(n, into))
  return into
}
