import type { Service } from '@aws-sdk/client-ecs'
import type { AwsClients } from '../aws/clients.js'
import { kindChooser } from '../ecs/kinds/index.js'
import type { DeploymentKind } from '../ecs/kinds/kind.js'
import { preflightServices } from '../ecs/preflight.js'
import { expectedDurationMs } from '../ecs/redeploy-order.js'
import type { StageContext } from '../run/context.js'
import type { ServiceRef } from '../service-list.js'
import type { Settings } from '../settings/index.js'

export interface Preflight {
  /** How each service is redeployed in the first round. */
  kinds: ReadonlyMap<ServiceRef, DeploymentKind>
  /** How long each service's current deployment took: the redeploy starts the slowest first. */
  expected: ReadonlyMap<ServiceRef, number | undefined>
  /**
   * Kinds for a later round (the rollback's), chosen again from the preflight's answers: a kind
   * instance remembers what it saw in its round, and must not take the first round's deployments
   * for its own.
   */
  kindsForNewRound(): Promise<Map<ServiceRef, DeploymentKind | { refused: string }>>
}

/** Looks up every service before anything is written and chooses how each is redeployed. */
export async function preflightStage(
  ctx: StageContext,
  settings: Settings,
  clients: AwsClients,
  services: readonly ServiceRef[]
): Promise<Preflight> {
  const expected = new Map<ServiceRef, number | undefined>()
  const described = new Map<ServiceRef, Service>()
  const chooser = () => kindChooser({ codedeploy: clients.codedeploy, waitUntil: settings.waitUntil })
  const choose = chooser()
  const kinds = await preflightServices(
    clients.ecs,
    services,
    (service, ref) => {
      expected.set(ref, expectedDurationMs(service))
      described.set(ref, service)
      return choose(service, ref)
    },
    ctx.log.warn
  )
  return {
    kinds,
    expected,
    async kindsForNewRound() {
      const again = chooser()
      const round = new Map<ServiceRef, DeploymentKind | { refused: string }>()
      for (const ref of kinds.keys()) {
        const choice = await again(described.get(ref) as Service, ref)
        round.set(ref, 'kind' in choice ? choice.kind : choice)
      }
      return round
    }
  }
}
