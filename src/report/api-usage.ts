import type { BucketUsage } from '../aws/api-budget.js'

/**
 * The summary's account of the API budget: per account, region and ECS read bucket, the calls
 * made, throttled answers and the busiest 10 s, so a platform team can see what the run took
 * from the buckets it shares with other tools.
 */
export function apiUsageMarkdown(usage: readonly BucketUsage[], sharePercent: number): string[] {
  if (usage.length === 0) return []
  const lines = [
    '### API use',
    '',
    `Reads waited for a budget of ${sharePercent}% of each ECS bucket's refill rate per account and region; writes kept ECS's own limit.`,
    '',
    '| where | bucket | calls | throttled | peak | budget at the end |',
    '|---|---|---|---|---|---|'
  ]
  for (const u of usage) {
    const where = u.place.account ? `${u.place.account} ${u.place.region}` : u.place.region
    const peak = `${u.peakPerWindow} in 10 s (${u.peakPerSecond.toFixed(1)}/s)`
    const share = u.sharePercent < sharePercent ? `${u.sharePercent}% (lowered after throttling)` : `${u.sharePercent}%`
    lines.push(`| ${where} | ${u.bucket} | ${u.calls} | ${u.throttled} | ${peak} | ${share} |`)
  }
  lines.push('')
  return lines
}
