import { partition } from '@aws-sdk/core/client'

/** Where an AWS call goes: a region, and the account when it is not the credentials' own. */
export interface Place {
  region: string
  account?: string
}

// Region names as AWS forms them: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1,
// us-isob-east-1, eusc-de-east-1 (the European Sovereign Cloud).
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/

/** Whether `text` is shaped like a region name (the one check for inputs and ARNs alike). */
export function isRegion(text: string): boolean {
  return REGION.test(text)
}

/**
 * The partition of a region, as the SDK's own partition table says (`aws`, `aws-cn`,
 * `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`); a region it does
 * not know yet is in `aws`, as the SDK's endpoint resolution has it.
 */
export function partitionOf(region: string): string {
  return partition(region).name
}

/** Why an ARN's partition cannot hold its region, if it cannot (`arn:aws:...:cn-north-1:...`). */
export function partitionProblem(arnPartition: string, region: string): string | undefined {
  const expected = partitionOf(region)
  return arnPartition === expected ? undefined : `region ${region} is in partition ${expected}, but the ARN says ${arnPartition}`
}

/** One key per place, for caches of clients. */
export function placeKey(place: Place): string {
  return `${place.account ?? ''}/${place.region}`
}
