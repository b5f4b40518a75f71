import { Inputs, WaitUntilValues } from '../constants.js'
import { parseClusterList, parseServiceList, type ClusterRef } from '../service-list.js'
import { readBoolean, readDuration, readEnum, readInteger, type Reader } from './readers.js'
import type { SettingsIO } from './types.js'

/** `services`, `clusters` and `discover-services`: which services the run redeploys, or where it finds them. */
export function readServices(r: Reader, io: Pick<SettingsIO, 'getInput'>, region: string, mainAccount: string | undefined) {
  const { services, errors } = parseServiceList(io.getInput(Inputs.Services), region, mainAccount)
  errors.forEach((e) => r.bad(Inputs.Services, e))
  const discover = readBoolean(r, Inputs.DiscoverServices, false)
  const clusterList = parseClusterList(io.getInput(Inputs.Clusters), region, mainAccount)
  clusterList.errors.forEach((e) => r.bad(Inputs.Clusters, e))
  return {
    services,
    serviceErrors: errors.length,
    discover,
    clusters: clusterList.clusters,
    clusterErrors: clusterList.errors.length,
    /** Clusters are searched only with discover-services: true. */
    discoverIn: discover ? clusterList.clusters : ([] as ClusterRef[])
  }
}

/** How the run redeploys and waits: stability, deadlines, concurrency, the API share, the rollout proof. */
export function readWaiting(r: Reader) {
  const waitForServiceStability = readBoolean(r, Inputs.WaitForServiceStability, true)
  return {
    waitForServiceStability,
    deploymentTimeoutSeconds: readDuration(r, Inputs.DeploymentTimeout, '30m'),
    maxConcurrency: readInteger(r, Inputs.MaxConcurrency, 10, 1, 100),
    apiBudgetPercent: readInteger(r, Inputs.ApiBudget, 50, 10, 100),
    verifyRolloutGiven: Boolean(r.input(Inputs.VerifyRollout)),
    verifyRollout: readBoolean(r, Inputs.VerifyRollout, waitForServiceStability),
    waitUntil: readEnum(r, Inputs.WaitUntil, WaitUntilValues),
    dryRun: readBoolean(r, Inputs.DryRun, false),
    rollbackOnFailure: readBoolean(r, Inputs.RollbackOnFailure, false)
  }
}
