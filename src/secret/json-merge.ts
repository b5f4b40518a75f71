import { parseTree, type Node } from 'jsonc-parser'

/** Why one key cannot be set faithfully in a JSON document; the caller names the input. */
export class JsonMergeError extends Error {
  override name = 'JsonMergeError'
}

/**
 * Sets one top-level key of a JSON object to a string by editing the text, not by parsing and
 * serialising it again: every other byte stays as it was, so numbers such as
 * 12345678901234567890 or 1.50, escapes such as \u00e9, key order and layout are kept (a
 * re-serialised document would change values nobody asked to change, and the masks registered
 * for the old text would no longer match). A new key goes after the last one, in the layout of
 * the key before it. A document that is not a strict JSON object, or that names the key twice
 * (which value would count is then up to the reader), is refused.
 */
export function setJsonKey(text: string, key: string, value: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new JsonMergeError('the current value of the secret is not a JSON object')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new JsonMergeError('the current value of the secret is not a JSON object')
  // JSON.parse took it as a strict JSON object, so the tree is that object's: it only gives the offsets.
  const root = parseTree(text) as Node

  const members = (root.children ?? []).map(member)
  const same = members.filter((m) => m.key === key)
  if (same.length > 1) throw new JsonMergeError(`the current value names key "${key}" ${same.length} times, so which one counts is unclear`)
  const encoded = JSON.stringify(value)
  let merged: string
  if (same.length === 1) {
    const target = same[0].value
    merged = text.slice(0, target.offset) + encoded + text.slice(target.offset + target.length)
  } else if (members.length === 0) {
    const close = root.offset + root.length - 1
    merged = `${text.slice(0, close)}${JSON.stringify(key)}: ${encoded}${text.slice(close)}`
  } else {
    const last = members[members.length - 1]
    // The whitespace before the last key and between its key and value, so the new line looks like it.
    const before = gapBefore(text, last.keyNode.offset)
    const colon = text.slice(last.keyNode.offset + last.keyNode.length, last.value.offset)
    const end = last.value.offset + last.value.length
    merged = `${text.slice(0, end)},${before}${JSON.stringify(key)}${colon}${encoded}${text.slice(end)}`
  }
  check(merged, parsed as Record<string, unknown>, key, value)
  return merged
}

function member(node: Node): { key: string; keyNode: Node; value: Node } {
  const [keyNode, value] = node.children as [Node, Node]
  return { key: keyNode.value as string, keyNode, value }
}

/** The whitespace between the comma before a key and the key. */
function gapBefore(text: string, offset: number): string {
  let start = offset
  while (/\s/.test(text[start - 1] ?? '')) start--
  return text.slice(start, offset)
}

/** A guard before the value is written: the edit must leave the same keys and the one new value. */
function check(merged: string, before: Record<string, unknown>, key: string, value: string): void {
  const after = JSON.parse(merged) as Record<string, unknown>
  const keys = new Set([...Object.keys(before), key])
  if (after[key] !== value || Object.keys(after).length !== keys.size || !Object.keys(after).every((k) => keys.has(k))) {
    throw new JsonMergeError(`key "${key}" could not be set without changing other keys`)
  }
}
