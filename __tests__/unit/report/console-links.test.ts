import { describe, expect, it } from '@jest/globals'
import { codeDeployUrl, ecsServiceUrl } from '../../../src/report/console-links.js'

describe('console links', () => {
  it('links an ECS service to its deployments in the console of its region and partition', () => {
    expect(ecsServiceUrl({ region: 'eu-west-1', clusterName: 'prod', service: 'web' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1'
    )
    expect(ecsServiceUrl({ region: 'us-gov-west-1', clusterName: 'prod', service: 'web' })).toBe(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services/web/deployments?region=us-gov-west-1'
    )
    expect(ecsServiceUrl({ region: 'cn-north-1', clusterName: 'prod', service: 'web' })).toBe(
      'https://cn-north-1.console.amazonaws.cn/ecs/v2/clusters/prod/services/web/deployments?region=cn-north-1'
    )
  })

  it('links a CodeDeploy deployment in the console of its region and partition', () => {
    expect(codeDeployUrl('us-east-1', 'd-ABC123')).toBe(
      'https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123?region=us-east-1'
    )
    expect(codeDeployUrl('cn-northwest-1', 'd-ABC123')).toBe(
      'https://cn-northwest-1.console.amazonaws.cn/codesuite/codedeploy/deployments/d-ABC123?region=cn-northwest-1'
    )
  })

  it('gives no link in partitions without a known public console', () => {
    for (const region of ['us-iso-east-1', 'us-isob-east-1', 'eusc-de-east-1']) {
      expect(ecsServiceUrl({ region, clusterName: 'prod', service: 'web' })).toBeUndefined()
      expect(codeDeployUrl(region, 'd-ABC123')).toBeUndefined()
    }
  })

  it('percent-encodes every part it puts in the URL', () => {
    expect(ecsServiceUrl({ region: 'us-east-1', clusterName: 'a b/c', service: 'x?y#z' })).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/a%20b%2Fc/services/x%3Fy%23z/deployments?region=us-east-1'
    )
    expect(codeDeployUrl('us-east-1', 'd-1&x=2')).toContain('/deployments/d-1%26x%3D2?region=us-east-1')
  })
})
