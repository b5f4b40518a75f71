import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { Service } from '@aws-sdk/client-ecs'
import type { Place } from '../../aws/place.js'
import type { WaitUntil } from '../../constants.js'
import type { ServiceRef } from '../../service-list.js'
import { codeDeployKind } from './codedeploy.js'
import type { KindChoice } from './kind.js'
import { nativeStrategyKind, type NativeStrategy } from './native-strategy.js'
import { rollingKind } from './rolling.js'

export interface ChooserOptions {
  /** For CODE_DEPLOY services: their deployment group is looked up at preflight. */
  codedeploy(place: Place): CodeDeployClient
  waitUntil?: WaitUntil
}

/**
 * Picks, per service, how it is redeployed, from its DescribeServices answer at preflight (and,
 * for CODE_DEPLOY, its CodeDeploy deployment group). One chooser per round: each kind instance
 * remembers what it saw during that round. A new kind is one file in this folder plus a line here.
 */
export function kindChooser(options: ChooserOptions): (service: Service, ref: ServiceRef) => Promise<KindChoice> {
  const rolling = rollingKind()
  const codeDeploy = codeDeployKind()
  const native = new Map<NativeStrategy, ReturnType<typeof nativeStrategyKind>>()
  return async (service, ref) => {
    const controller = service.deploymentController?.type ?? 'ECS'
    switch (controller) {
      case 'ECS': {
        const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING'
        if (strategy === 'ROLLING') return { kind: rolling }
        let kind = native.get(strategy)
        if (!kind) native.set(strategy, (kind = nativeStrategyKind(strategy, options.waitUntil)))
        return { kind }
      }
      case 'CODE_DEPLOY':
        return codeDeploy.choose(ref, service, options.codedeploy(ref))
      default:
        return {
          refused: `its deployment controller is ${controller}: its task sets are driven by another tool, which must start the new deployment`
        }
    }
  }
}
