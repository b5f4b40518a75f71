/** Where an AWS call goes: a region, and the account when it is not the credentials' own. */
export interface Place {
  region: string
  account?: string
}

/** One key per place, for caches of clients. */
export function placeKey(place: Place): string {
  return `${place.account ?? ''}/${place.region}`
}
