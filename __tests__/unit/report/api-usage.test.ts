import { describe, expect, it } from '@jest/globals'
import { apiUsageMarkdown } from '../../../src/report/api-usage.js'

describe('apiUsageMarkdown', () => {
  it('says nothing when no read went through the budget', () => {
    expect(apiUsageMarkdown([], 50)).toEqual([])
  })

  it('has a row per account, region and bucket, and says when throttling lowered the share', () => {
    const markdown = apiUsageMarkdown(
      [
        {
          place: { region: 'eu-west-1' },
          bucket: 'service-reads',
          calls: 52,
          throttled: 0,
          peakPerWindow: 20,
          peakPerSecond: 2,
          sharePercent: 50
        },
        {
          place: { region: 'us-east-1', account: '210987654321' },
          bucket: 'cluster-resource-reads',
          calls: 8,
          throttled: 2,
          peakPerWindow: 8,
          peakPerSecond: 0.8,
          sharePercent: 35
        }
      ],
      50
    ).join('\n')
    expect(markdown).toBe(
      [
        '### API use',
        '',
        "Reads waited for a budget of 50% of each ECS bucket's refill rate per account and region; writes kept ECS's own limit.",
        '',
        '| where | bucket | calls | throttled | peak | budget at the end |',
        '|---|---|---|---|---|---|',
        '| eu-west-1 | service-reads | 52 | 0 | 20 in 10 s (2.0/s) | 50% |',
        '| 210987654321 us-east-1 | cluster-resource-reads | 8 | 2 | 8 in 10 s (0.8/s) | 35% (lowered after throttling) |',
        ''
      ].join('\n')
    )
  })
})
