import { partitionOf } from '../aws/place.js'

/**
 * The public AWS console of each partition. The isolated partitions (aws-iso*) and the European
 * Sovereign Cloud (aws-eusc) have no console reachable from a job summary's reader: no link.
 */
const CONSOLE_HOST: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn'
}

/** `https://<region>.<console host>`, or undefined for a partition without a known public console. */
function consoleOrigin(region: string): string | undefined {
  const host = CONSOLE_HOST[partitionOf(region)]
  return host && `https://${encodeURIComponent(region)}.${host}`
}

/** The deployments tab of an ECS service in the console, if its partition has one. */
export function ecsServiceUrl(where: { region: string; clusterName: string; service: string }): string | undefined {
  const origin = consoleOrigin(where.region)
  if (!origin) return undefined
  const [region, cluster, service] = [where.region, where.clusterName, where.service].map(encodeURIComponent)
  return `${origin}/ecs/v2/clusters/${cluster}/services/${service}/deployments?region=${region}`
}

/** A CodeDeploy deployment (`d-...`) in the console, if its partition has one. */
export function codeDeployUrl(region: string, deploymentId: string): string | undefined {
  const origin = consoleOrigin(region)
  if (!origin) return undefined
  return `${origin}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${encodeURIComponent(region)}`
}
