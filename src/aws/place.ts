/** Where an AWS call goes: a region, and the account when it is not the credentials' own. */
export interface Place {
  region: string
  account?: string
}

// Region names as AWS forms them: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/

/** Whether `text` is shaped like a region name (the one check for inputs and ARNs alike). */
export function isRegion(text: string): boolean {
  return REGION.test(text)
}

/** One key per place, for caches of clients. */
export function placeKey(place: Place): string {
  return `${place.account ?? ''}/${place.region}`
}
