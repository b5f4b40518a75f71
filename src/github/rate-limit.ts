import type { IssuesApi } from './issues-api.js'

/** At most this many tries of one call, and never a wait longer than this (the step must end). */
export const MAX_TRIES = 3
export const MAX_WAIT_SECONDS = 60

interface HttpError {
  status?: number
  response?: { headers?: Record<string, string | number | undefined> }
}

const header = (error: unknown, name: string) => (error as HttpError).response?.headers?.[name]

/**
 * GitHub's primary rate limit answers 403 (or 429) with `x-ratelimit-remaining: 0`, its secondary
 * limit 403 or 429 with `retry-after`. A 403 without either is a missing permission.
 */
export function isRateLimited(error: unknown): boolean {
  const status = (error as HttpError).status
  if (status !== 403 && status !== 429) return false
  return header(error, 'retry-after') !== undefined || String(header(error, 'x-ratelimit-remaining')) === '0' || status === 429
}

/** Seconds GitHub asks to wait: `retry-after`, else until `x-ratelimit-reset` (epoch seconds), else a minute. */
export function waitSeconds(error: unknown, nowMs: number): number {
  const after = Number(header(error, 'retry-after'))
  if (Number.isFinite(after) && after >= 0) return after
  const reset = Number(header(error, 'x-ratelimit-reset'))
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - nowMs / 1000))
  return MAX_WAIT_SECONDS
}

export interface RetryOptions {
  sleep: (ms: number) => Promise<void>
  now?: () => number
}

/** Retries a rate-limited call when GitHub's wait fits the bound; anything else is thrown at once. */
export async function withRateLimitRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const wait = isRateLimited(error) ? waitSeconds(error, now()) : Infinity
      if (attempt >= MAX_TRIES || wait > MAX_WAIT_SECONDS) throw error
      await options.sleep(wait * 1000)
    }
  }
}

/** The same issue calls, each retried within the bound when GitHub rate limits it. */
export function retryingIssuesApi(api: IssuesApi, options: RetryOptions): IssuesApi {
  return {
    ensureLabel: (name, description) => withRateLimitRetry(() => api.ensureLabel(name, description), options),
    listOpen: (label) => withRateLimitRetry(() => api.listOpen(label), options),
    create: (issue) => withRateLimitRetry(() => api.create(issue), options),
    comment: (number, body) => withRateLimitRetry(() => api.comment(number, body), options),
    close: (number) => withRateLimitRetry(() => api.close(number), options)
  }
}
