import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { refs, service } from '../../../__fixtures__/ecs.js'
import { chunks, clusterBatches, describeInBatches } from '../../../src/ecs/batches.js'
import { serviceKey, type ServiceRef } from '../../../src/service-list.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({ region: 'eu-west-1' })
const ecs = () => client

beforeEach(() => {
  ecsMock.reset()
})

describe('clusterBatches', () => {
  it('groups by cluster and splits at 10 services', () => {
    const list = [...Array.from({ length: 11 }, (_, i) => `a/s${i}`), 'b/x', 'arn:aws:ecs:us-east-1:123456789012:service/a/s0'].join('\n')
    expect(clusterBatches(refs(list)).map((b) => [b.region, b.cluster, b.refs.length])).toEqual([
      ['eu-west-1', 'a', 10],
      ['eu-west-1', 'a', 1],
      ['eu-west-1', 'b', 1],
      ['us-east-1', 'arn:aws:ecs:us-east-1:123456789012:cluster/a', 1]
    ])
  })
})

describe('service batches', () => {
  it('keeps clusters of the same name in two accounts apart', () => {
    const [first] = refs('prod/api')
    const ours: ServiceRef = { ...first, account: '123456789012' }
    const theirs: ServiceRef = { ...first, account: '210987654321', line: 2 }
    expect(clusterBatches([ours, theirs]).map((b) => b.refs.map((r) => r.line))).toEqual([[1], [2]])
  })

  it('keys a service by account (the main one when not given), region, cluster and name', () => {
    const [ours, theirs] = refs('prod/api\narn:aws:ecs:us-east-1:210987654321:service/far/api')
    expect([serviceKey(ours), serviceKey(theirs)]).toEqual(['/eu-west-1/prod/api', '210987654321/us-east-1/far/api'])
    expect([serviceKey(ours, '123456789012'), serviceKey(theirs, '123456789012')]).toEqual([
      '123456789012/eu-west-1/prod/api',
      '210987654321/us-east-1/far/api'
    ])
  })

  it('cuts a list into chunks, the last one shorter, and none for an empty list', () => {
    expect(chunks([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(chunks([1, 2, 3], 2)).toEqual([[1, 2], [3]])
    expect(chunks([], 2)).toEqual([])
  })

  it('matches each DescribeServices failure to its own service, by name or ARN, and says when a service is in neither list', async () => {
    ecsMock.on(DescribeServicesCommand).callsFake(async (input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).filter((name) => name === 'api').map((name) => service(name, [])),
      failures: [
        { arn: `arn:aws:ecs:eu-west-1:123456789012:service/${input.cluster}/b`, reason: 'MISSING' },
        { arn: 'a', reason: 'INACTIVE' }
      ]
    }))
    const list = refs('prod/a\nprod/b\nprod/api\nprod/c')
    const seen = await describeInBatches(ecs, list)
    expect(list.map((ref) => seen.get(ref))).toEqual([
      { missing: 'INACTIVE' },
      { missing: 'MISSING' },
      { service: service('api', []) },
      { missing: 'not returned by DescribeServices' }
    ])
  })
})
