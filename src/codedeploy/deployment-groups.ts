import {
  BatchGetDeploymentGroupsCommand,
  paginateListApplications,
  paginateListDeploymentGroups,
  type CodeDeployClient
} from '@aws-sdk/client-codedeploy'

/** BatchGetDeploymentGroups takes at most 100 names. */
const BATCH_MAX = 100

/** A CodeDeploy deployment group that deploys an ECS service. */
export interface EcsDeploymentGroup {
  application: string
  group: string
}

/** `cluster/service` (cluster name, not ARN), as CodeDeploy's ecsServices name them. */
export const ecsServiceKey = (clusterName: string, service: string) => `${clusterName}/${service}`

/**
 * Every deployment group of compute platform ECS in a region, indexed by the ECS services it
 * names. CodeDeploy has no lookup by service, so this reads every application's groups: one
 * ListApplications page, one ListDeploymentGroups per application, one BatchGetDeploymentGroups
 * per 100 groups. A service named by more than one group maps to all of them.
 */
export async function ecsDeploymentGroups(codedeploy: CodeDeployClient): Promise<Map<string, EcsDeploymentGroup[]>> {
  const applications: string[] = []
  for await (const page of paginateListApplications({ client: codedeploy }, {})) applications.push(...(page.applications ?? []))
  const byService = new Map<string, EcsDeploymentGroup[]>()
  await Promise.all(
    applications.map(async (application) => {
      const names: string[] = []
      for await (const page of paginateListDeploymentGroups({ client: codedeploy }, { applicationName: application })) {
        names.push(...(page.deploymentGroups ?? []))
      }
      for (let i = 0; i < names.length; i += BATCH_MAX) {
        const out = await codedeploy.send(
          new BatchGetDeploymentGroupsCommand({ applicationName: application, deploymentGroupNames: names.slice(i, i + BATCH_MAX) })
        )
        for (const info of out.deploymentGroupsInfo ?? []) {
          if (info.computePlatform !== 'ECS' || !info.deploymentGroupName) continue
          for (const s of info.ecsServices ?? []) {
            if (!s.clusterName || !s.serviceName) continue
            const key = ecsServiceKey(s.clusterName, s.serviceName)
            byService.set(key, [...(byService.get(key) ?? []), { application, group: info.deploymentGroupName }])
          }
        }
      }
    })
  )
  return byService
}
