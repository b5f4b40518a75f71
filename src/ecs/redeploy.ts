import pLimit from 'p-limit'
import { describeAwsError } from '../aws/errors.js'
import { retryWhileThrottled } from '../aws/throttling.js'
import { CancelledError } from '../run/writes.js'
import type { ServiceRef } from '../service-list.js'
import type { DeploymentKind, KindContext } from './kinds/kind.js'
import type { ServiceTracker } from './service-state.js'

/**
 * Starts a new deployment of every service, each the way its kind does it, in the order given,
 * and hands each to the tracker as `started`, or `failed` when AWS refuses (the others go on).
 * At most `lanes` calls are handed to the clients at once: the writer client paces them to the
 * rate ECS allows, and a queue here keeps 500 waiting calls out of its memory. Throttled calls
 * are sent again until the round's deadline.
 */
export async function redeployServices(
  refs: readonly ServiceRef[],
  kindOf: (ref: ServiceRef) => DeploymentKind,
  tracker: ServiceTracker,
  ctx: KindContext,
  lanes = 10,
  /** Awaited before a service starts (outside the lanes): a reason refuses it instead. */
  before?: (ref: ServiceRef) => Promise<string | undefined>
): Promise<void> {
  const lane = pLimit(lanes)
  await Promise.all(
    refs.map(async (ref) => {
      const kind = kindOf(ref)
      const refused = await before?.(ref)
      if (refused) return tracker.refuse(ref, refused)
      try {
        // The pause after a throttle is taken outside the lane, so other services go ahead.
        const start = () => (ctx.writes ? ctx.writes.send(kind.startCall, ref.label, () => kind.start(ref, ctx)) : kind.start(ref, ctx))
        const started = await retryWhileThrottled(() => lane(start), ctx.clock, ctx.deadline)
        tracker.start(ref, started)
      } catch (error) {
        // Not sent because the run was cancelled: the service stays planned, with the round's reason.
        if (error instanceof CancelledError) return
        if (ctx.signal?.aborted) {
          return tracker.refuse(
            ref,
            `${kind.startCall} was sent, but the run was cancelled before AWS answered: a deployment may have started`
          )
        }
        tracker.refuse(ref, `${kind.startCall} failed: ${describeAwsError(error)}`)
      }
    })
  )
}
