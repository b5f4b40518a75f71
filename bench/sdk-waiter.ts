// Contender (c): what a workflow without this action does with the SDK, one service at a time:
// UpdateService(forceNewDeployment), then the SDK's waitUntilServicesStable, in order.
import { ECSClient, UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs'

const ecs = new ECSClient({ region: process.env.AWS_REGION })
for (const line of (process.env.SERVICES ?? '').split('\n').filter(Boolean)) {
  const [cluster, service] = line.split('/')
  await ecs.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }))
  await waitUntilServicesStable({ client: ecs, maxWaitTime: 900 }, { cluster, services: [service] })
}
