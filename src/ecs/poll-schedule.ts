/** Never start rounds closer together than this, however much budget there is. */
export const MIN_POLL_MS = 500

/**
 * How stale a service's last look may get: 2 s at first, then a tenth of its time rolling out,
 * up to 15 s. Its end is noticed within about 10% of its length, while a long wait costs few calls.
 */
export function staleAfterMs(elapsedMs: number): number {
  return Math.round(Math.min(15_000, Math.max(2_000, elapsedMs / 10)))
}

/** Between these shares of its expected duration, a service is looked at every round. */
const NEAR_FROM = 0.8
const NEAR_TO = 1.5
/** Before that window, looks are spread out, but never further apart than this. */
const MAX_EARLY_GAP_MS = 10_000

/**
 * Whether a rolling-out service should be looked at this round. Near the end its previous
 * deployment took (`expectedMs`): every round, so its end is seen at once. Before that: halfway
 * to that point (at most 10 s) or when its last look is stale, whichever is later. Without an
 * expected duration, or long past it: when the last look is stale. So the budget goes to the
 * services whose end is due.
 */
export function isDue(s: { startedAt: number; lastLookAt?: number; expectedMs?: number }, now: number): boolean {
  if (s.lastLookAt === undefined) return true
  const elapsed = now - s.startedAt
  const elapsedAtLook = s.lastLookAt - s.startedAt
  let gap = staleAfterMs(elapsedAtLook)
  if (s.expectedMs !== undefined) {
    const nearFrom = NEAR_FROM * s.expectedMs
    if (elapsed >= nearFrom && elapsed <= NEAR_TO * s.expectedMs) return true
    if (elapsedAtLook < nearFrom) gap = Math.max(gap, Math.min(MAX_EARLY_GAP_MS, (nearFrom - elapsedAtLook) / 2))
  }
  return now - s.lastLookAt >= gap
}
