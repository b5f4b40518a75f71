import { describe, expect, it } from '@jest/globals'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  GetRandomPasswordCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand
} from '@aws-sdk/client-secrets-manager'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand
} from '@aws-sdk/client-ecs'
import { fakeClock } from '../../__fixtures__/clock.js'
import { runHarness } from '../../__fixtures__/run.js'
import { deployment, service } from '../../__fixtures__/ecs.js'

const { run, record, sm, ecs: ecsMock, env, setInputs } = await runHarness()
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
const SECRET = 'n3w-Secret-Value'
const writes = () =>
  [PutSecretValueCommand, RotateSecretCommand]
    .map((c) => sm.commandCalls(c).length)
    .concat(ecsMock.commandCalls(UpdateServiceCommand).length)

/** Every place a value could reach the user, except the masking calls themselves. */
function everythingShown(): string {
  return JSON.stringify([record.outputs, record.errors, record.notices, record.logs, record.summary])
}

function healthyServices() {
  let version = 0
  ecsMock.on(DescribeServicesCommand).callsFake((input) => ({
    services: (input.services ?? []).map((name: string) =>
      service(name, [deployment(`ecs-svc/${name}-${version}`, { rolloutState: version ? 'COMPLETED' : 'IN_PROGRESS', runningCount: 2 })])
    )
  }))
  ecsMock.on(UpdateServiceCommand).callsFake((input) => {
    version = 1
    return { service: service(input.service, [deployment(`ecs-svc/${input.service}-1`)]) }
  })
}

describe('run', () => {
  it('puts the value, redeploys services in two clusters, and reports without showing the value', async () => {
    setInputs({ mode: 'put', 'secret-id': 'prod/db', 'secret-string': SECRET, services: 'prod/api\nbatch/pdf' })
    let current = 'v1'
    sm.on(DescribeSecretCommand).callsFake(() => ({
      ARN,
      Name: 'prod/db',
      VersionIdsToStages: { [current]: ['AWSCURRENT'], ...(current !== 'v1' && { v1: ['AWSPREVIOUS'] }) }
    }))
    sm.on(PutSecretValueCommand).callsFake((input) => {
      current = input.ClientRequestToken
      return { VersionId: current }
    })
    healthyServices()
    const clock = fakeClock()
    sm.on(ListSecretVersionIdsCommand).callsFake(async () => ({ Versions: [{ VersionId: current, CreatedDate: new Date(clock.now()) }] }))
    // Each service runs two tasks of its new deployment, started after the new version.
    ecsMock.on(ListTasksCommand).callsFake(async (input) => ({ taskArns: [`${input.serviceName}-t1`, `${input.serviceName}-t2`] }))
    ecsMock.on(DescribeTasksCommand).callsFake(async (input) => ({
      tasks: input.tasks.map((arn: string) => ({
        taskArn: arn,
        startedBy: `ecs-svc/${arn.split('-')[0]}-1`,
        startedAt: new Date(clock.now() + 1000)
      }))
    }))
    await run({ clock, env })

    expect(record.errors).toEqual([])
    expect(process.exitCode).toBeUndefined()
    expect(record.outputs.result).toBe('succeeded')
    expect(record.outputs['version-id']).toBe(current)
    expect(record.outputs['previous-version-id']).toBe('v1')
    expect(JSON.parse(record.outputs.services)).toEqual([
      {
        cluster: 'prod',
        service: 'api',
        deploymentId: 'ecs-svc/api-1',
        redeployedBy: 'rolling update (forced new deployment)',
        status: 'succeeded',
        reason: null,
        durationSeconds: expect.any(Number)
      },
      {
        cluster: 'batch',
        service: 'pdf',
        deploymentId: 'ecs-svc/pdf-1',
        redeployedBy: 'rolling update (forced new deployment)',
        status: 'succeeded',
        reason: null,
        durationSeconds: expect.any(Number)
      }
    ])
    expect(record.summary[0]).toMatch(
      /\| prod \| \[api\]\([^)]+\/clusters\/prod\/services\/api\/deployments\?region=[a-z0-9-]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/2 \|/
    )
    expect(record.summary[0]).toContain('https://github.com/acme/infra/actions/runs/42/attempts/1')
    expect(record.masked).toContain(SECRET)
    expect(everythingShown()).not.toContain(SECRET)
  })

  it('stops at preflight when a service is missing, with the secret untouched', async () => {
    setInputs({ mode: 'put', 'secret-id': 'prod/db', 'secret-string': SECRET, services: 'prod/api\nprod/gone' })
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: 'prod/db', VersionIdsToStages: { v1: ['AWSCURRENT'] } })
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service('api', [])], failures: [{ arn: 'gone', reason: 'MISSING' }] })
    await run({ clock: fakeClock(), env })

    expect(writes()).toEqual([0, 0, 0])
    expect(process.exitCode).toBe(1)
    expect(record.errors).toEqual([
      { title: 'Service preflight', message: expect.stringContaining('line 2 prod/gone (eu-west-1): service "gone" does not exist') }
    ])
    expect(record.outputs.result).toBe('failed')
    expect(JSON.parse(record.outputs.services).map((s: { status: string }) => s.status)).toEqual(['skipped', 'skipped'])
    expect(everythingShown()).not.toContain(SECRET)
  })

  it('fails on bad input before any AWS call, naming the input', async () => {
    setInputs({ mode: 'put', 'secret-id': 'prod/db', 'secret-string': SECRET, 'generate-password': 'true' })
    await run({ clock: fakeClock(), env })
    expect(sm.calls()).toHaveLength(0)
    expect(record.errors[0]).toEqual({
      title: 'Invalid input',
      message: expect.stringContaining('`secret-string`: mode put needs exactly one of')
    })
    expect(record.outputs.result).toBe('failed')
    expect(everythingShown()).not.toContain(SECRET)
  })

  it('does not redeploy when the rotation times out, and says what state the secret is in', async () => {
    setInputs({ 'secret-id': 'prod/db', 'rotation-timeout': '30s', services: 'prod/api' })
    let stages: Record<string, string[]> = { v1: ['AWSCURRENT'] }
    sm.on(DescribeSecretCommand).callsFake(() => ({ ARN, Name: 'prod/db', RotationEnabled: true, VersionIdsToStages: stages }))
    sm.on(RotateSecretCommand).callsFake((input) => {
      stages = { ...stages, [input.ClientRequestToken]: ['AWSPENDING'] }
      return { VersionId: input.ClientRequestToken }
    })
    healthyServices()
    await run({ clock: fakeClock(), env })

    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
    expect(process.exitCode).toBe(1)
    expect(record.errors).toEqual([
      { title: 'secret prod/db', message: expect.stringMatching(/rotate failed: .*stuck in AWSPENDING.*AWSCURRENT is still on v1/) }
    ])
    expect(record.outputs['version-id']).toBe('')
    expect(JSON.parse(record.outputs.services)[0]).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('secret change failed')
    })
  })

  it('fails the step when something throws a non-Error', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/api' })
    ecsMock.on(DescribeServicesCommand).callsFake(() => {
      throw 'plain string failure'
    })
    await run({ clock: fakeClock(), env })
    expect(process.exitCode).toBe(1)
    expect(record.errors[0].message).toContain('plain string failure')
  })

  it('stops with the AWS error name when a call fails unexpectedly, and logs its stack for debugging', async () => {
    setInputs({ mode: 'redeploy', 'secret-id': 'prod/db', 'discover-services': 'true', clusters: 'prod' })
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: 'prod/db' })
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:ListServices'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 }
    })
    ecsMock.on(ListServicesCommand).rejects(denied)
    await run({ clock: fakeClock(), env })
    expect(process.exitCode).toBe(1)
    expect(record.errors).toEqual([
      { title: 'Service discovery', message: 'AccessDeniedException: User is not authorized to perform: ecs:ListServices' }
    ])
    expect(record.debug).toEqual([expect.stringMatching(/^AccessDeniedException: User is not authorized[\s\S]*\n\s+at /)])
    expect(writes()).toEqual([0, 0, 0])
  })

  it('in redeploy mode touches no secret and reports started services when not waiting', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/api', 'wait-for-service-stability': 'false' })
    healthyServices()
    await run({ clock: fakeClock(), env })
    expect(sm.calls()).toHaveLength(0)
    expect(record.outputs.result).toBe('succeeded')
    expect(JSON.parse(record.outputs.services)[0]).toMatchObject({ status: 'started', deploymentId: 'ecs-svc/api-1' })
    expect(record.notices[0]).toBe('1 services: 1 started')
  })
})

describe('run, cancelled', () => {
  it('stops waiting, reports the finished and still-rolling services, and fails', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/fast\nprod/slow', 'verify-rollout': 'false' })
    const clock = fakeClock()
    const controller = new AbortController()
    let polls = 0
    ecsMock
      .on(UpdateServiceCommand)
      .callsFake(async (input) => ({ service: service(input.service, [deployment(`ecs-svc/${input.service}-1`)]) }))
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => {
      // The cancel arrives during the third poll round: fast has finished by then, slow has not.
      if (++polls === 3) controller.abort()
      return {
        services: (input.services ?? []).map((name: string) =>
          service(name, [
            deployment(`ecs-svc/${name}-1`, name === 'fast' && polls > 1 ? { rolloutState: 'COMPLETED', runningCount: 2 } : {})
          ])
        )
      }
    })
    await run({ clock, env, signal: controller.signal })
    expect(process.exitCode).toBe(1)
    expect(record.outputs.result).toBe('failed')
    expect(
      JSON.parse(record.outputs.services).map((s: { status: string; reason: string | null }) => [s.status, s.reason?.slice(0, 44) ?? null])
    ).toEqual([
      ['succeeded', null],
      ['started', 'still rolling out when the run was cancelled']
    ])
    expect(record.errors[0]).toEqual({ title: 'Cancelled', message: expect.stringContaining('cancelled during "Wait for deployments"') })
    expect(record.summary[0]).toMatch(/\| prod \| \[slow\]\([^)]+\/services\/slow\/deployments\?region=[a-z0-9-]+\) \| 🚀 started \|/)
  })
})

describe('run, rollback-on-failure', () => {
  function secretWithPut() {
    let stages: Record<string, string[]> = { v1: ['AWSCURRENT'] }
    const values = new Map<string, string>([['v1', 'the-old-value']])
    sm.on(GetSecretValueCommand).callsFake(async (input) => ({
      ARN,
      VersionId: input.VersionId,
      SecretString: values.get(input.VersionId)
    }))
    sm.on(DescribeSecretCommand).callsFake(async () => ({ ARN, Name: 'prod/db', VersionIdsToStages: stages }))
    sm.on(PutSecretValueCommand).callsFake(async (input) => {
      values.set(input.ClientRequestToken, input.SecretString)
      stages = { v1: ['AWSPREVIOUS'], [input.ClientRequestToken]: ['AWSCURRENT'] }
      return { VersionId: input.ClientRequestToken }
    })
    sm.on(UpdateSecretVersionStageCommand).callsFake(async (input) => {
      stages = { [input.MoveToVersionId]: ['AWSCURRENT'], [input.RemoveFromVersionId]: ['AWSPREVIOUS'] }
      return {}
    })
  }

  it('moves AWSCURRENT back to the exact previous version and redeploys the services again', async () => {
    setInputs({
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': SECRET,
      services: 'prod/api\nprod/pdf',
      'rollback-on-failure': 'true',
      'verify-rollout': 'false'
    })
    secretWithPut()
    let round = 0
    ecsMock.on(UpdateServiceCommand).callsFake(async (input) => {
      if (input.service === 'api') round++
      return { service: service(input.service, [deployment(`ecs-svc/${input.service}-${round}`)]) }
    })
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => ({
      services: (input.services ?? []).map((name: string) =>
        // In the first round pdf's deployment fails; in the second, every deployment completes.
        service(name, [
          deployment(
            `ecs-svc/${name}-${round}`,
            name === 'pdf' && round === 1
              ? { rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }
              : { rolloutState: 'COMPLETED', runningCount: 2 }
          )
        ])
      )
    }))
    await run({ clock: fakeClock(), env })
    const moved = sm.commandCalls(UpdateSecretVersionStageCommand)
    expect(moved).toHaveLength(1)
    const token = sm.commandCalls(PutSecretValueCommand)[0].args[0].input.ClientRequestToken
    expect(moved[0].args[0].input).toEqual({ SecretId: ARN, VersionStage: 'AWSCURRENT', MoveToVersionId: 'v1', RemoveFromVersionId: token })
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(4)
    expect(record.outputs['version-id']).toBe('v1')
    expect(record.outputs.result).toBe('failed')
    expect(record.outputs['failed-services']).toBe('prod/pdf')
    expect(record.summary[0]).toContain(`AWSCURRENT was moved back from \`${token}\` to \`v1\``)
    expect(record.notices[0]).toContain('rolled back to v1; 2 of 2 services redeployed with it')
    expect(everythingShown()).not.toContain(SECRET)
  })

  it('does not roll back when every deployment succeeds', async () => {
    setInputs({
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': SECRET,
      services: 'prod/api',
      'rollback-on-failure': 'true',
      'verify-rollout': 'false'
    })
    secretWithPut()
    healthyServices()
    await run({ clock: fakeClock(), env })
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0)
    expect(record.outputs.result).toBe('succeeded')
  })
})

describe('run, dry-run', () => {
  it('reads and checks everything, writes nothing, and reports the plan', async () => {
    setInputs({ mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api', 'dry-run': 'true' })
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: 'prod/db', VersionIdsToStages: { v1: ['AWSCURRENT'] } })
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'Generated-In-Plan-9' })
    healthyServices()
    await run({ clock: fakeClock(), env })
    expect(writes()).toEqual([0, 0, 0])
    expect(process.exitCode).toBeUndefined()
    expect(record.outputs.result).toBe('planned')
    expect(JSON.parse(record.outputs.services)[0]).toMatchObject({ status: 'planned', reason: 'would be redeployed: listed' })
    const plan = JSON.parse(record.outputs.plan)
    expect(plan.secret).toMatchObject({
      arn: ARN,
      mode: 'put',
      currentVersionId: 'v1',
      newVersionId: expect.stringMatching(/^[0-9a-f-]{36}$/)
    })
    expect(plan.services).toEqual([{ cluster: 'prod', service: 'api', why: ['listed'], how: 'rolling update (forced new deployment)' }])
    expect(record.summary[0]).toContain('📝 plan (dry run, nothing changed)')
    expect(record.summary[0]).toContain('would put a new value')
    expect(everythingShown()).not.toContain('Generated-In-Plan-9')
  })
})
