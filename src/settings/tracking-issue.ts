import { Inputs } from '../constants.js'
import { readBoolean, readList, type Reader } from './readers.js'
import type { RunContext, SettingsIO, TrackingIssueSettings } from './types.js'

// A GitHub login (letters, digits, single hyphens, at most 39), optionally /team-slug.
const MENTION = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(\/[A-Za-z0-9_.-]{1,100})?$/

/** What the rules between inputs look at (see rules.ts). */
export interface TrackingIssueInputs {
  failureIssue: boolean
  token: string
  mentions: number
}

/** `failure-issue`, its token and its mentions (the token is masked as soon as it is read). */
export function readTrackingIssue(
  r: Reader,
  io: Pick<SettingsIO, 'env' | 'mask'>,
  run: RunContext
): { trackingIssue?: TrackingIssueSettings; given: TrackingIssueInputs } {
  const wanted = readBoolean(r, Inputs.FailureIssue, false)
  const token = r.input(Inputs.GithubToken)
  if (token) io.mask(token)
  const mention = readList(r, Inputs.FailureIssueMention)
  for (const who of mention) {
    if (!MENTION.test(who)) r.bad(Inputs.FailureIssueMention, `"${who}" is not @user or @org/team`)
  }
  const given = { failureIssue: wanted, token, mentions: mention.length }
  if (!wanted) return { given }
  if (!run.repository) r.bad(Inputs.FailureIssue, 'needs GITHUB_REPOSITORY (set on a runner) to know where to open the issue')
  const trackingIssue = {
    token,
    repository: run.repository ?? '',
    apiUrl: (io.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    mention: mention.map((who) => (who.startsWith('@') ? who : `@${who}`))
  }
  return { trackingIssue, given }
}
