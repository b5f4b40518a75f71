import { describe, expect, it } from '@jest/globals'
import { parseClusterList, parseServiceList } from '../../src/service-list.js'

describe('parseServiceList', () => {
  it('reads cluster/service lines, ARNs, comments and blank lines', () => {
    const { services, errors } = parseServiceList(
      [
        '# production',
        'prod/api',
        '',
        '  prod/front   # the web front',
        'arn:aws:ecs:us-west-2:123456789012:service/batch/pdf',
        'arn:aws:ecs:eu-central-1:123456789012:cluster/admin-cluster/admin'
      ].join('\n'),
      'eu-west-1'
    )
    expect(errors).toEqual([])
    expect(services.map((s) => [s.cluster, s.service, s.region, s.label, s.line])).toEqual([
      ['prod', 'api', 'eu-west-1', 'prod/api', 2],
      ['prod', 'front', 'eu-west-1', 'prod/front', 4],
      ['arn:aws:ecs:us-west-2:123456789012:cluster/batch', 'pdf', 'us-west-2', 'batch/pdf', 5],
      ['arn:aws:ecs:eu-central-1:123456789012:cluster/admin-cluster', 'admin', 'eu-central-1', 'admin-cluster/admin', 6]
    ])
  })

  it.each([
    ['api', 'expected cluster/service'],
    ['prod/', '"" is not a valid service name'],
    ['/api', '"" is not a valid cluster name'],
    ['prod/api/extra', 'expected cluster/service'],
    ['prod/a.pi', '"a.pi" is not a valid service name'],
    ['arn:aws:ecs:us-east-1:123456789012:service/api', 'old-format service ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:task/prod/abc', 'neither service/... nor cluster/...'],
    ['arn:aws:lambda:us-east-1:123456789012:function:x', 'expected an ECS service ARN'],
    ['arn:aws:ecs:nowhere:123456789012:service/prod/api', '"nowhere" is not a valid region'],
    ['arn:aws:ecs:us-east-1:1234:service/prod/api', '"1234" is not a valid account id'],
    ['arn:aws:ecs:us-east-1:1234567890123:service/prod/api', '"1234567890123" is not a valid account id in the ARN'],
    ['arn:aws:ecs:us-east-1:x123456789012:service/prod/api', '"x123456789012" is not a valid account id in the ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'expected cluster/<cluster>/<service> in the ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/api/x', 'expected service/<cluster>/<service> in the ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:service/pr.od/api', '"pr.od" is not a valid cluster name'],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/a.pi', '"a.pi" is not a valid service name'],
    ['arn:aws:ecs', 'not a valid ARN']
  ])('refuses %s', (line, expected) => {
    const { errors } = parseServiceList(line, 'eu-west-1')
    expect(errors).toEqual([expect.stringContaining(expected)])
  })

  it('keeps the same cluster and service names in two accounts apart, with the account from the ARN', () => {
    const { services, errors } = parseServiceList(
      'prod/api\narn:aws:ecs:eu-west-1:222222222222:service/prod/api',
      'eu-west-1',
      '123456789012'
    )
    expect(errors).toEqual([])
    expect(services.map((s) => [s.label, s.account])).toEqual([
      ['prod/api', undefined],
      ['prod/api', '222222222222']
    ])
  })

  it('refuses a service listed twice, naming both lines', () => {
    const { services, errors } = parseServiceList(
      'prod/api\narn:aws:ecs:eu-west-1:123456789012:service/prod/api',
      'eu-west-1',
      '123456789012'
    )
    expect(services).toHaveLength(1)
    expect(errors).toEqual([expect.stringContaining('prod/api is already listed on line 1')])
  })

  it('treats the same names in two regions as two services', () => {
    const { services, errors } = parseServiceList('prod/api\narn:aws:ecs:us-east-1:123456789012:service/prod/api', 'eu-west-1')
    expect(errors).toEqual([])
    expect(services).toHaveLength(2)
  })
})

describe('several services on a line', () => {
  it('accepts entries separated by spaces or commas, as a workflow_dispatch text box gives them', () => {
    const { services, errors } = parseServiceList('prod/api prod/front,batch/pdf  # comment\nprod/admin', 'eu-west-1')
    expect(errors).toEqual([])
    expect(services.map((s) => [s.label, s.line])).toEqual([
      ['prod/api', 1],
      ['prod/front', 1],
      ['batch/pdf', 1],
      ['prod/admin', 2]
    ])
  })
})

describe('parseClusterList', () => {
  it('reads names and ARNs, one a line, with comments and blank lines', () => {
    const { clusters, errors } = parseClusterList(
      ['# where the services live', 'prod', '', '  batch_2  # jobs', 'arn:aws:ecs:us-east-1:123456789012:cluster/prod'].join('\n'),
      'eu-west-1'
    )
    expect(errors).toEqual([])
    expect(clusters).toEqual([
      { cluster: 'prod', clusterName: 'prod', region: 'eu-west-1', line: 2 },
      { cluster: 'batch_2', clusterName: 'batch_2', region: 'eu-west-1', line: 4 },
      {
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        clusterName: 'prod',
        region: 'us-east-1',
        account: '123456789012',
        line: 5
      }
    ])
  })

  it('takes several clusters a line, separated by spaces or commas, as services', () => {
    const { clusters, errors } = parseClusterList(
      'prod, batch  arn:aws-eusc:ecs:eusc-de-east-1:123456789012:cluster/sov\nedge',
      'eu-west-1'
    )
    expect(errors).toEqual([])
    expect(clusters.map((c) => [c.clusterName, c.region, c.line])).toEqual([
      ['prod', 'eu-west-1', 1],
      ['batch', 'eu-west-1', 1],
      ['sov', 'eusc-de-east-1', 1],
      ['edge', 'eu-west-1', 2]
    ])
  })

  it('is empty for an empty input', () => {
    expect(parseClusterList('', 'eu-west-1')).toEqual({ clusters: [], errors: [] })
    expect(parseClusterList('\n# none\n', 'eu-west-1')).toEqual({ clusters: [], errors: [] })
  })

  it.each([
    ['prod/api', 'line 1 "prod/api": not a cluster name (letters, digits, - and _)'],
    ['pro|d', 'line 1 "pro|d": not a cluster name (letters, digits, - and _)'],
    ['arn:aws:ecs:cn-north-1:123456789012:cluster/prod', 'region cn-north-1 is in partition aws-cn, but the ARN says aws'],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/api', 'not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)'],
    ['arn:aws:eks:us-east-1:123456789012:cluster/prod', 'not an ECS cluster ARN'],
    ['arn:aws:ecs:useast1:123456789012:cluster/prod', 'not an ECS cluster ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:cluster/', 'not an ECS cluster ARN'],
    ['arn:aws:ecs:us-east-1:123456789012:cluster/a/b', 'not an ECS cluster ARN'],
    ['arn:broken', 'not an ECS cluster ARN']
  ])('refuses %s', (line, expected) => {
    const { clusters, errors } = parseClusterList(line, 'eu-west-1')
    expect(clusters).toEqual([])
    expect(errors).toEqual([expect.stringContaining(expected)])
  })

  it('keeps a cluster of the same name in another account, and refuses an ARN that only looks like a cluster', () => {
    const text = 'prod\narn:aws:ecs:eu-west-1:222222222222:cluster/prod\narn:aws:ecs:eu-west-1:123456789012:servicex/prod'
    const { clusters, errors } = parseClusterList(text, 'eu-west-1', '123456789012')
    expect(clusters.map((c) => [c.clusterName, c.account, c.line])).toEqual([
      ['prod', undefined, 1],
      ['prod', '222222222222', 2]
    ])
    expect(errors).toEqual([
      'line 3 "arn:aws:ecs:eu-west-1:123456789012:servicex/prod": not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)'
    ])
  })

  it('refuses a cluster listed twice in one region, by name or ARN, but not in two regions', () => {
    const text = 'prod\narn:aws:ecs:eu-west-1:123456789012:cluster/prod\narn:aws:ecs:us-east-1:123456789012:cluster/prod'
    const { clusters, errors } = parseClusterList(text, 'eu-west-1', '123456789012')
    expect(errors).toEqual(['line 2 "arn:aws:ecs:eu-west-1:123456789012:cluster/prod": listed twice'])
    expect(clusters.map((c) => [c.clusterName, c.region, c.line])).toEqual([
      ['prod', 'eu-west-1', 1],
      ['prod', 'us-east-1', 3]
    ])
  })

  it('gives each problem its line number', () => {
    expect(parseClusterList('ok\n\nbad/one\nok', 'eu-west-1').errors).toEqual([
      'line 3 "bad/one": not a cluster name (letters, digits, - and _)',
      'line 4 "ok": listed twice'
    ])
  })
})
