import type { AwsClients } from '../aws/clients.js'
import { discoverServices, type Discovery } from '../ecs/discover.js'
import type { SecretIdentity } from '../ecs/secret-references.js'
import type { StageContext } from '../run/context.js'
import { serviceKey, type ServiceRef } from '../service-list.js'
import type { Settings } from '../settings/index.js'

/**
 * Adds the services whose task definitions read the secret to the listed ones (without
 * duplicates). Services whose every reference is pinned keep the old value whatever happens:
 * they are reported, not redeployed.
 */
export async function discoveryStage(
  ctx: StageContext,
  settings: Settings,
  clients: AwsClients,
  secret: SecretIdentity,
  mainAccount: string | undefined
): Promise<{ discovery: Discovery; services: ServiceRef[] }> {
  const discovery = await discoverServices(clients.ecs, settings.discoverIn, secret)
  const key = (r: ServiceRef) => serviceKey(r, mainAccount)
  const listed = new Set(settings.services.map(key))
  const added = discovery.found.filter((d) => d.references.some((r) => !r.pinned) && !listed.has(key(d.ref))).map((d) => d.ref)
  ctx.log.info(
    `Discovery: ${discovery.servicesScanned} services in ${settings.discoverIn.length} clusters, ${discovery.taskDefinitionsRead} task definitions read; ` +
      `${discovery.found.length} read ${secret.name}, ${added.length} added to the ${settings.services.length} listed`
  )
  return { discovery, services: [...settings.services, ...added] }
}
