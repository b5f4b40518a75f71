export const AWSCURRENT = 'AWSCURRENT'
export const AWSPENDING = 'AWSPENDING'
export const AWSPREVIOUS = 'AWSPREVIOUS'

export type VersionStages = Record<string, string[]>

/** Which version carries a staging label, if any. */
export function versionWithLabel(stages: VersionStages, label: string): string | undefined {
  return Object.keys(stages).find((id) => stages[id]?.includes(label))
}

export function hasLabel(stages: VersionStages, versionId: string, label: string): boolean {
  return stages[versionId]?.includes(label) ?? false
}

/**
 * A rotation is in progress when AWSPENDING sits on a version other than AWSCURRENT
 * (after a finished rotation, AWSPENDING may stay on the current version: that is harmless).
 */
export function pendingRotation(stages: VersionStages): string | undefined {
  const pending = versionWithLabel(stages, AWSPENDING)
  return pending && !hasLabel(stages, pending, AWSCURRENT) ? pending : undefined
}

/** `v1 [AWSCURRENT], v0 [AWSPREVIOUS]`: how state is described in errors. */
export function describeStages(stages: VersionStages): string {
  const labelled = Object.entries(stages).filter(([, labels]) => labels.length > 0)
  return labelled.map(([id, labels]) => `${id} [${labels.join(', ')}]`).join(', ') || 'no labelled versions'
}
