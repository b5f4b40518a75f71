import { describe, expect, it } from '@jest/globals'
import type { Service } from '@aws-sdk/client-ecs'
import { service } from '../../../__fixtures__/ecs.js'
import { appSpecContent, appSpecTarget } from '../../../src/codedeploy/appspec.js'

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`

describe('appSpecTarget', () => {
  it("takes the PRIMARY task set's task definition and platform version, not the first task set's", () => {
    const s = service('bg', [], {
      taskDefinition: TD(1),
      taskSets: [
        { id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD(6), platformVersion: '1.3.0' },
        {
          id: 'ecs-svc/new',
          status: 'PRIMARY',
          taskDefinition: TD(7),
          platformVersion: '1.4.0',
          loadBalancers: [{ containerName: 'web', containerPort: 8080 }]
        }
      ]
    })
    expect(appSpecTarget(s)).toEqual({ taskDefinition: TD(7), containerName: 'web', containerPort: 8080, platformVersion: '1.4.0' })
  })

  it('skips a load balancer entry without a container port', () => {
    const s = service('bg', [], {
      taskDefinition: TD(3),
      loadBalancers: [{ containerName: 'sidecar' }, { containerPort: 9000 }, { containerName: 'web', containerPort: 8080 }]
    })
    expect(appSpecTarget(s)).toEqual({ taskDefinition: TD(3), containerName: 'web', containerPort: 8080, platformVersion: undefined })
  })

  it('says why when the service has no task definition at all', () => {
    const s: Service = service('bg', [], { loadBalancers: [{ containerName: 'web', containerPort: 8080 }] })
    expect(appSpecTarget(s)).toEqual({ problem: 'it has no PRIMARY task set with a task definition' })
  })
})

describe('appSpecContent', () => {
  const properties = (platformVersion?: string) =>
    JSON.parse(appSpecContent({ taskDefinition: TD(7), containerName: 'web', containerPort: 8080, platformVersion })).Resources[0]
      .TargetService.Properties

  it('pins a platform version the task set runs on, but not LATEST or none', () => {
    const base = { TaskDefinition: TD(7), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } }
    expect(properties('1.4.0')).toEqual({ ...base, PlatformVersion: '1.4.0' })
    expect(properties('LATEST')).toEqual(base)
    expect(properties(undefined)).toEqual(base)
  })
})
