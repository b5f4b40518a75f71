import type { Service } from '@aws-sdk/client-ecs'
import type { KindChoice } from './kind.js'
import { rollingKind } from './rolling.js'

/**
 * Picks, per service, how it is redeployed, from its DescribeServices answer at preflight.
 * One chooser per round: each kind instance remembers what it saw during that round.
 * A new kind is one file in this folder plus a line here.
 */
export function kindChooser(): (service: Service) => KindChoice {
  const rolling = rollingKind()
  return (service) => {
    const controller = service.deploymentController?.type ?? 'ECS'
    switch (controller) {
      case 'ECS':
        return { kind: rolling }
      case 'CODE_DEPLOY':
        return {
          refused:
            'its deployment controller is CODE_DEPLOY: ECS refuses a forced new deployment for it, and a redeploy through CodeDeploy is not supported yet'
        }
      default:
        return {
          refused: `its deployment controller is ${controller}: its task sets are driven by another tool, which must start the new deployment`
        }
    }
  }
}
