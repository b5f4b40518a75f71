import { isThrottlingError } from '@smithy/core/retry'
import type { MiddlewareStack } from '@smithy/types'
import { bucketOf, type ApiBudget } from './api-budget.js'
import type { Place } from './place.js'

interface BudgetedClient {
  middlewareStack: Pick<MiddlewareStack<object, object>, 'add'>
}

/**
 * Makes every call a client sends that draws on a known bucket wait for the API budget, and
 * tells the budget when AWS throttled one. Added after the retry step, so each attempt (a retry
 * reaches AWS too) takes a token and a backoff holds none; before the in-flight cap, so a call
 * waiting for a token holds no slot. Other calls pass through untouched.
 */
export function withApiBudget(client: BudgetedClient, budget: ApiBudget, place: Place, service: 'ecs' | 'codedeploy'): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '')
      const bucket = bucketOf(service, operation)
      if (!bucket) return next(args)
      await budget.take(place, bucket)
      try {
        return await next(args)
      } catch (error) {
        if (isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) budget.throttled(place, bucket)
        throw error
      }
    },
    { step: 'finalizeRequest', priority: 'normal', name: 'secretRolloutApiBudget' }
  )
}
