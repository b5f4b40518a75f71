/**
 * Registers a secret value with the runner's masking: the whole value, each line of it (the
 * runner masks line by line), and for JSON every string and number field, since a JSON secret's
 * fields appear on their own in logs and errors more often than the whole document.
 */
export function maskSecretValue(value: string, mask: (v: string) => void): void {
  mask(value)
  const parts = new Set<string>()
  for (const line of value.split(/\r?\n/)) parts.add(line.trim())
  try {
    collectLeaves(JSON.parse(value), parts)
  } catch {
    // Not JSON: the whole value and its lines are masked.
  }
  // Very short fragments (`1`, `db`) would hide ordinary log text without protecting anything.
  for (const part of parts) if (part.length >= 3 && part !== value) mask(part)
}

function collectLeaves(node: unknown, into: Set<string>): void {
  if (typeof node === 'string' || typeof node === 'number') into.add(String(node))
  else if (Array.isArray(node)) node.forEach((n) => collectLeaves(n, into))
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => collectLeaves(n, into))
}
