import { isThrottlingError } from '@smithy/core/retry'
import type { Clock } from '../clock.js'

const BASE_MS = 1000
const CAP_MS = 20_000

/**
 * Keeps retrying a call the service throttled, with capped, jittered backoff, until `deadline`.
 * For calls that can queue up far beyond the SDK's retries: 500 UpdateService calls against
 * ECS's 5 per second take 90 s to get through. Only throttling is retried: a throttled call did
 * nothing, so sending it again is safe.
 */
export async function retryWhileThrottled<T>(call: () => Promise<T>, clock: Clock, deadline: number, random = Math.random): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const delay = Math.round(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt))
      if (!isThrottlingError(error as Parameters<typeof isThrottlingError>[0]) || clock.now() + delay >= deadline) throw error
      await clock.sleep(delay)
    }
  }
}
