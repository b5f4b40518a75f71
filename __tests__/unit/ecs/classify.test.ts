import { describe, expect, it } from '@jest/globals'
import { deployment, service } from '../../../__fixtures__/ecs.js'
import { classifyDeployment } from '../../../src/ecs/classify.js'

describe('classifyDeployment', () => {
  it('succeeds when our deployment is PRIMARY and COMPLETED', () => {
    const s = service('api', [
      deployment('ecs-svc/2', { rolloutState: 'COMPLETED', runningCount: 2 }),
      deployment('ecs-svc/1', { status: 'ACTIVE', rolloutState: 'COMPLETED' })
    ])
    expect(classifyDeployment(s, 'ecs-svc/2')).toEqual({ state: 'succeeded' })
  })

  it('without rolloutState, succeeds only when ours is the only deployment at full count', () => {
    const counting = (running: number, extra = false) =>
      service('api', [
        deployment('ecs-svc/2', { rolloutState: undefined, runningCount: running }),
        ...(extra ? [deployment('ecs-svc/1', { status: 'ACTIVE', rolloutState: undefined })] : [])
      ])
    expect(classifyDeployment(counting(2), 'ecs-svc/2').state).toBe('succeeded')
    expect(classifyDeployment(counting(1), 'ecs-svc/2').state).toBe('in-progress')
    expect(classifyDeployment(counting(2, true), 'ecs-svc/2').state).toBe('in-progress')
  })

  it('fails when the circuit breaker marks our deployment FAILED, with its reason', () => {
    const s = service('api', [
      deployment('ecs-svc/2', { rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' })
    ])
    expect(classifyDeployment(s, 'ecs-svc/2')).toEqual({
      state: 'failed',
      reason: 'deployment failed: ECS deployment circuit breaker: tasks failed to start.'
    })
  })

  it('fails when our deployment is gone after a rollback to an older deployment of the same task definition', () => {
    const s = service('api', [deployment('ecs-svc/3', { taskDefinition: 'td:7', rolloutState: 'COMPLETED' })], { taskDefinition: 'td:7' })
    const observed = classifyDeployment(s, 'ecs-svc/2')
    expect(observed.state).toBe('failed')
    expect(observed).toMatchObject({ reason: expect.stringContaining('now runs deployment ecs-svc/3') })
  })

  it('fails when another deployment replaced ours', () => {
    const s = service('api', [deployment('ecs-svc/3'), deployment('ecs-svc/2', { status: 'ACTIVE' })])
    expect(classifyDeployment(s, 'ecs-svc/2')).toMatchObject({ state: 'failed', reason: expect.stringContaining('replaced by ecs-svc/3') })
  })

  it('fails when the service is draining', () => {
    expect(classifyDeployment(service('api', [deployment('ecs-svc/2')], { status: 'DRAINING' }), 'ecs-svc/2')).toEqual({
      state: 'failed',
      reason: 'service became DRAINING'
    })
  })

  it('reports progress while rolling out', () => {
    const s = service('api', [deployment('ecs-svc/2', { runningCount: 1, pendingCount: 1 })])
    expect(classifyDeployment(s, 'ecs-svc/2')).toEqual({ state: 'in-progress', progress: '1/2 running, 1 pending, rollout IN_PROGRESS' })
  })
})

describe('classifyDeployment when ECS leaves fields out', () => {
  it.each([
    [
      'no deployments at all',
      service('api', [], { deployments: undefined }),
      'deployment ecs-svc/2 is gone (rolled back by the circuit breaker?)'
    ],
    [
      'ours gone and no PRIMARY left',
      service('api', [deployment('ecs-svc/1', { status: 'DRAINING' })]),
      'deployment ecs-svc/2 is gone (rolled back by the circuit breaker?)'
    ],
    [
      'FAILED without a reason',
      service('api', [deployment('ecs-svc/2', { rolloutState: 'FAILED' })]),
      'deployment failed: no reason given'
    ],
    [
      'replaced, with no PRIMARY named',
      service('api', [deployment('ecs-svc/2', { status: 'ACTIVE' })]),
      'deployment ecs-svc/2 was replaced by another deployment (a rollback or another deploy)'
    ]
  ])('fails: %s', (_, s, reason) => {
    expect(classifyDeployment(s, 'ecs-svc/2')).toEqual({ state: 'failed', reason })
  })

  it('reports progress with zero counts and no rollout state when ECS gives none', () => {
    const s = service('api', [
      deployment('ecs-svc/2', { rolloutState: undefined, runningCount: undefined, desiredCount: undefined, pendingCount: undefined }),
      deployment('ecs-svc/1', { status: 'ACTIVE' })
    ])
    expect(classifyDeployment(s, 'ecs-svc/2')).toEqual({ state: 'in-progress', progress: '0/0 running, 0 pending, rollout without state' })
  })
})
