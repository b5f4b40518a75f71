import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand
} from '@aws-sdk/client-secrets-manager'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand
} from '@aws-sdk/client-ecs'
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts'
import { fakeClock } from '../../__fixtures__/clock.js'
import { runHarness } from '../../__fixtures__/run.js'
import { deployment, service } from '../../__fixtures__/ecs.js'
import { fakeEcs } from '../../__fixtures__/fake-ecs.js'
import { SECRET_ARN as ARN } from '../../__fixtures__/report.js'
import { describeFrom, expectSecret, notFound } from '../../__fixtures__/secrets-manager.js'
import type { VersionStages } from '../../src/secret/staging-labels.js'

// What run() tells the user along the way: log lines, warnings, and the error of a cancelled run.
const { run, record, sm, ecs: ecsMock, sts, env, setInputs, statuses } = await runHarness()
const VALUE = 'n3w-Secret-Value'
const put = { mode: 'put', 'secret-id': 'prod/db', 'secret-string': VALUE, 'verify-rollout': 'false' }

/** prod/db starting at `initial`; a put makes its version AWSCURRENT. */
function secretWithPut(initial: VersionStages = { v1: ['AWSCURRENT'] }) {
  let stages = initial
  // Each version's value is its id, so a rollback target always holds another value than the put.
  sm.on(GetSecretValueCommand).callsFake(async (input) => ({
    ARN,
    VersionId: input.VersionId,
    SecretString: `value of ${input.VersionId}`
  }))
  describeFrom(sm, () => stages)
  sm.on(PutSecretValueCommand).callsFake(async (input) => {
    expectSecret(input.SecretId)
    const previous = Object.keys(stages).find((id) => stages[id].includes('AWSCURRENT'))
    stages = { ...(previous && { [previous]: ['AWSPREVIOUS'] }), [input.ClientRequestToken as string]: ['AWSCURRENT'] }
    return { ARN, VersionId: input.ClientRequestToken }
  })
  sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [] })
}

const token = () => sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.ClientRequestToken as string

describe('run, what the secret pre-check tells', () => {
  it('says a secret managed by another service is rotated by that service', async () => {
    setInputs({ 'secret-id': 'prod/db', services: 'prod/api', 'dry-run': 'true' })
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), { OwningService: 'rds', RotationEnabled: true })
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })
    expect(record.outputs.result).toBe('planned')
    expect(record.logs).toContain('prod/db is managed by rds: RotateSecret asks rds to rotate it (managed rotation)')
    expect(record.logs.filter((l) => l.startsWith('warning: '))).toEqual([])
  })

  it('warns that rotating a secret whose rotation was turned off turns its schedule back on', async () => {
    setInputs({ 'secret-id': 'prod/db', services: 'prod/api', 'dry-run': 'true', 'if-rotation-disabled': 'enable' })
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), {
      RotationEnabled: false,
      RotationLambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate-db'
    })
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })
    expect(record.outputs.result).toBe('planned')
    expect(record.logs.filter((l) => l.startsWith('warning: '))).toEqual([
      'warning: Automatic rotation of prod/db is turned off; this rotation turns its schedule back on (if-rotation-disabled: enable)'
    ])
    expect(record.logs.filter((l) => l.includes('is managed by'))).toEqual([])
  })
})

describe('run, the secret change log line', () => {
  it('says it puts a new value and which version was AWSCURRENT', async () => {
    setInputs({ ...put, services: 'prod/api' })
    secretWithPut()
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })
    expect(record.outputs.result).toBe('succeeded')
    expect(record.logs.filter((l) => /^(Putting|Rotating)/.test(l))).toEqual(['Putting a new value into prod/db (AWSCURRENT is v1)'])
    expect(record.logs).toContain('Forcing a new deployment of 1 services')
  })

  it('says AWSCURRENT is unset for a secret with no current version', async () => {
    setInputs({ ...put, services: 'prod/api' })
    secretWithPut({})
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })
    expect(record.logs.filter((l) => /^(Putting|Rotating)/.test(l))).toEqual(['Putting a new value into prod/db (AWSCURRENT is unset)'])
  })

  it('says it rotates, naming the version AWSCURRENT was on', async () => {
    setInputs({ 'secret-id': 'prod/db', services: 'prod/api', 'rotation-timeout': '30s' })
    let stages: VersionStages = { v1: ['AWSCURRENT'] }
    describeFrom(sm, () => stages, { RotationEnabled: true })
    sm.on(RotateSecretCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      stages = { ...stages, [input.ClientRequestToken as string]: ['AWSPENDING'] }
      return { ARN, VersionId: input.ClientRequestToken }
    })
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })
    expect(record.logs.filter((l) => /^(Putting|Rotating)/.test(l))).toEqual(['Rotating prod/db (AWSCURRENT is v1)'])
  })
})

describe('run, discovery adding services', () => {
  const replicaArn = (region: string) => ARN.replace(':eu-west-1:', `:${region}:`)
  /** The secret each service's task definition reads in prod (eu-west-1), by valueFrom. */
  const reads: Record<string, string[]> = {
    api: [`${ARN}:password::`],
    worker: [`${replicaArn('eu-central-1')}:password::`],
    broken: [`${replicaArn('us-east-1')}:password::`],
    pinned: [`${ARN}::AWSPREVIOUS:`],
    mixed: [`${ARN}::AWSPREVIOUS:`, `${ARN}:username::`],
    other: []
  }

  function prodCluster() {
    ecsMock.on(ListServicesCommand).callsFake(async (input) => ({
      serviceArns: input.cluster === 'prod' ? Object.keys(reads).map((n) => `arn:aws:ecs:eu-west-1:123456789012:service/prod/${n}`) : []
    }))
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => {
      const names = (input.services ?? []) as string[]
      const known = input.cluster === 'prod' ? names.filter((n) => n in reads) : []
      return {
        services: known.map((n) =>
          service(n, [deployment(`ecs-svc/${n}-0`, { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 })], {
            taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${n}:1`
          })
        ),
        failures: names.filter((n) => !known.includes(n)).map((n) => ({ arn: n, reason: 'MISSING' }))
      }
    })
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(async (input) => {
      const name = /task-definition\/([^:]+):1$/.exec(input.taskDefinition as string)?.[1] as string
      return {
        taskDefinition: { containerDefinitions: [{ name, secrets: reads[name].map((valueFrom, i) => ({ name: `DB_${i}`, valueFrom })) }] }
      }
    })
  }

  it('adds the services that read the secret (here or in a working replica) to the listed ones, not the pinned ones', async () => {
    setInputs({
      mode: 'redeploy',
      'secret-id': 'prod/db',
      'discover-services': 'true',
      clusters: 'prod',
      services: 'prod/api',
      'dry-run': 'true'
    })
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), {
      ReplicationStatus: [
        { Region: 'us-east-1', Status: 'Failed', StatusMessage: 'KMS key not found' },
        { Region: 'eu-central-1', Status: 'InSync' }
      ]
    })
    prodCluster()
    await run({ clock: fakeClock(), env })

    expect(record.errors).toEqual([])
    expect(record.logs).toContain('Discovery: 6 services in 1 clusters, 6 task definitions read; 4 read prod/db, 2 added to the 1 listed')
    // api is listed and also found: it is redeployed once, and the plan says which secret it reads.
    expect(JSON.parse(record.outputs.plan).services).toEqual([
      {
        cluster: 'prod',
        service: 'api',
        why: [`api.DB_0 <- ${ARN}:password::`],
        how: 'rolling update (forced new deployment)'
      },
      {
        cluster: 'prod',
        service: 'worker',
        why: [`worker.DB_0 <- ${replicaArn('eu-central-1')}:password::`],
        how: 'rolling update (forced new deployment)'
      },
      {
        cluster: 'prod',
        service: 'mixed',
        why: [`mixed.DB_0 <- ${ARN}::AWSPREVIOUS:`, `mixed.DB_1 <- ${ARN}:username::`],
        how: 'rolling update (forced new deployment)'
      }
    ])
    expect(statuses()).toEqual([
      ['prod/api', 'planned', 'would be redeployed: it reads the secret'],
      ['prod/worker', 'planned', 'would be redeployed: it reads the secret'],
      ['prod/mixed', 'planned', 'would be redeployed: it reads the secret']
    ])
  })
})

describe('run, cancelled: what the error says was left behind', () => {
  /** Never settles: the work left running in the background after the cancel goes no further. */
  const never = () => new Promise<never>(() => undefined)

  it('before anything ran, when the workflow was already cancelled', async () => {
    setInputs({ ...put, services: 'prod/api' })
    // The run goes on in the background and stops at the secret pre-check.
    sm.on(DescribeSecretCommand).rejects(notFound())
    const controller = new AbortController()
    controller.abort()
    await run({ clock: fakeClock(), env, signal: controller.signal })
    expect(process.exitCode).toBe(1)
    expect(record.errors).toEqual([
      { title: 'Cancelled', message: 'The run was cancelled during "AWS credentials". Nothing had been written.' }
    ])
    expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(0)
    expect(record.debug).toEqual([expect.stringMatching(/^Error: cancelled\n\s+at /)])
  })

  it('during preflight: nothing had been written', async () => {
    setInputs({ ...put, services: 'prod/api' })
    secretWithPut()
    const controller = new AbortController()
    ecsMock.on(DescribeServicesCommand).callsFake(() => {
      controller.abort()
      return never()
    })
    await run({ clock: fakeClock(), env, signal: controller.signal })
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0)
    expect(record.errors).toEqual([
      { title: 'Cancelled', message: 'The run was cancelled during "Service preflight". Nothing had been written.' }
    ])
  })

  it('while the secret changes: the change may be under way', async () => {
    setInputs({ ...put, services: 'prod/api' })
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    const controller = new AbortController()
    sm.on(PutSecretValueCommand).callsFake(() => {
      controller.abort()
      return never()
    })
    await run({ clock: fakeClock(), env, signal: controller.signal })
    expect(record.errors).toEqual([
      {
        title: 'Cancelled',
        message:
          `The run was cancelled during "Secret change". PutSecretValue of version ${token()} of prod/db was sent, but the run was ` +
          'cancelled before AWS answered: it may have been written and be AWSCURRENT. Check which version is AWSCURRENT; a re-run ' +
          'of this run finds that version and does not write it again.'
      },
      {
        title: 'secret prod/db',
        message: `put failed: cancelled after PutSecretValue was sent, before AWS answered: version ${token()} may exist`
      }
    ])
    expect(record.outputs['secret-arn']).toBe(ARN)
    expect(record.outputs['previous-version-id']).toBe('v1')
    expect(record.outputs['version-id']).toBe('')
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
  })

  it('while waiting: names the new current version and how many deployments ECS carries on with', async () => {
    setInputs({ ...put, services: 'prod/api\nprod/slow\nprod/done' })
    secretWithPut()
    const { rounds } = fakeEcs(ecsMock, { 'prod/api': 'stuck', 'prod/slow': 'stuck', 'prod/done': 'completes' })
    const controller = new AbortController()
    // The cancel arrives at the pause after the first poll of the redeployed services (preflight made one call).
    const clock = fakeClock()
    const sleep = clock.sleep
    clock.sleep = async (ms) => {
      if (rounds.size === 3 && ecsMock.commandCalls(DescribeServicesCommand).length > 1) controller.abort()
      return sleep(ms)
    }
    await run({ clock, env, signal: controller.signal })
    expect(record.errors).toEqual([
      {
        title: 'Cancelled',
        message: `The run was cancelled during "Wait for deployments". Version ${token()} of prod/db is AWSCURRENT. 3 deployments were started, 2 of them still rolling out; ECS carries on with them.`
      }
    ])
    expect(statuses()).toEqual([
      ['prod/api', 'started', 'still rolling out when the run was cancelled (1/2 running, 1 pending, rollout IN_PROGRESS)'],
      ['prod/slow', 'started', 'still rolling out when the run was cancelled (1/2 running, 1 pending, rollout IN_PROGRESS)'],
      ['prod/done', 'succeeded', null]
    ])
  })
})

describe('run, services in other accounts', () => {
  const MAIN = '123456789012'
  const OTHER = '222222222222'
  const ROLE = `arn:aws:iam::${MAIN}:role/deploy`
  const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/rollout`
  const cluster = (account: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:cluster/${name}`
  const serviceArn = (account: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/${name}`
  const oidcEnv = {
    ...env,
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
  }
  const expiration = () => new Date(Date.UTC(2026, 0, 1) + 3600_000)

  beforeEach(() => {
    // Each session's keys name the account they belong to.
    const session = async (input: { RoleArn?: string }) => {
      const account = (input.RoleArn as string).split(':')[4]
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: `key-${account}`,
          SessionToken: `token-${account}`,
          Expiration: expiration()
        }
      }
    }
    sts.on(AssumeRoleWithWebIdentityCommand).callsFake(session)
    sts.on(AssumeRoleCommand).callsFake(session)
  })

  /** The access key of the client each UpdateService went through, by cluster/service. */
  async function updateKeys(): Promise<string[]> {
    return Promise.all(
      ecsMock.commandCalls(UpdateServiceCommand).map(async (call) => {
        const client = call.thisValue as ECSClient
        const { accessKeyId } = await client.config.credentials()
        return `${call.args[0].input.cluster}/${call.args[0].input.service} ${accessKeyId}`
      })
    )
  }

  it('assumes each cross-account role once at the start and redeploys each service with its own account credentials', async () => {
    setInputs({
      mode: 'redeploy',
      services: `${serviceArn(MAIN, 'prod/api')}\n${serviceArn(OTHER, 'shared/api')}`,
      'role-to-assume': ROLE,
      'cross-account-roles': OTHER_ROLE,
      'wait-for-service-stability': 'false'
    })
    fakeEcs(ecsMock, { [`${cluster(MAIN, 'prod')}/api`]: 'completes', [`${cluster(OTHER, 'shared')}/api`]: 'completes' })
    await run({ clock: fakeClock(), env: oidcEnv })

    expect(record.errors).toEqual([])
    expect(record.outputs.result).toBe('succeeded')
    expect(record.logs.slice(0, 2)).toEqual([
      `Assumed role ${ROLE} as session acme-infra-42-1`,
      `Assumed role ${OTHER_ROLE} for account ${OTHER}`
    ])
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([OTHER_ROLE])
    expect(await updateKeys()).toEqual([`${cluster(MAIN, 'prod')}/api ASIA${MAIN}`, `${cluster(OTHER, 'shared')}/api ASIA${OTHER}`])
    expect(record.masked).toEqual(
      expect.arrayContaining([`ASIA${MAIN}`, `key-${MAIN}`, `token-${MAIN}`, `ASIA${OTHER}`, `key-${OTHER}`, `token-${OTHER}`])
    )
  })

  it('without a role to assume, refuses a service in another account that has no role, naming the input', async () => {
    setInputs({ mode: 'redeploy', services: `prod/api\n${serviceArn(OTHER, 'shared/api')}` })
    fakeEcs(ecsMock, { 'prod/api': 'completes', [`${cluster(OTHER, 'shared')}/api`]: 'completes' })
    await run({ clock: fakeClock(), env })

    expect(record.logs).toEqual(['No role-to-assume: using the credentials already in the environment'])
    expect(record.errors).toEqual([
      {
        title: 'Invalid input',
        message:
          `Invalid input: \`services\`: line 2 shared/api: in account ${OTHER}, but the credentials are in account ${MAIN} and ` +
          `\`cross-account-roles\` has no role for account ${OTHER}: add arn:aws:iam::${OTHER}:role/<role> to it`
      }
    ])
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0)
    expect(ecsMock.calls()).toHaveLength(0)
    expect(process.exitCode).toBe(1)
  })
})

describe('run, a secret with replicas', () => {
  const inRegion = (region: string) => ARN.replace(':eu-west-1:', `:${region}:`)
  const cluster = (region: string) => `arn:aws:ecs:${region}:123456789012:cluster/prod`

  it('redeploys a replica region once its replica has the new version, and holds back the region of a failed replica', async () => {
    setInputs({
      ...put,
      services: `prod/api\narn:aws:ecs:eu-central-1:123456789012:service/prod/api\narn:aws:ecs:us-east-1:123456789012:service/prod/api`
    })
    let stages: VersionStages = { v1: ['AWSCURRENT'] }
    const replication = [
      { Region: 'eu-central-1', Status: 'InSync' },
      { Region: 'us-east-1', Status: 'Failed', StatusMessage: 'KMS key not found' }
    ]
    // The primary by name or ARN, and the in-sync replica by its own ARN, which shows the same labels.
    sm.on(DescribeSecretCommand).callsFake(async (input) => {
      if (input.SecretId === inRegion('eu-central-1')) return { ARN: inRegion('eu-central-1'), Name: 'prod/db', VersionIdsToStages: stages }
      expectSecret(input.SecretId)
      return { ARN, Name: 'prod/db', VersionIdsToStages: stages, ReplicationStatus: replication }
    })
    sm.on(PutSecretValueCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      stages = { v1: ['AWSPREVIOUS'], [input.ClientRequestToken as string]: ['AWSCURRENT'] }
      return { ARN, VersionId: input.ClientRequestToken }
    })
    sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [] })
    fakeEcs(ecsMock, {
      'prod/api': 'completes',
      [`${cluster('eu-central-1')}/api`]: 'completes',
      [`${cluster('us-east-1')}/api`]: 'completes'
    })
    await run({ clock: fakeClock(), env })

    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.cluster)).toEqual(['prod', cluster('eu-central-1')])
    expect(record.logs).toContain(`Replica in eu-central-1 has version ${token()} as AWSCURRENT after 1s`)
    expect(statuses()).toEqual([
      ['prod/api', 'succeeded', null],
      ['prod/api', 'succeeded', null],
      [
        'prod/api',
        'failed',
        'not redeployed: the replica of prod/db in us-east-1 failed (KMS key not found), so it does not have the new version'
      ]
    ])
    expect(record.errors).toEqual([
      {
        title: 'prod/api',
        message:
          'failed: not redeployed: the replica of prod/db in us-east-1 failed (KMS key not found), so it does not have the new version'
      }
    ])
    // The secret's report says what each replica region had, as it came.
    expect(record.summary[0]).toContain(
      [
        '| replica region | new version | had it after | note |',
        '|---|---|---|---|',
        '| eu-central-1 | ✅ in sync | 1s (00:00:00 UTC) |  |',
        '| us-east-1 | ❌ failed |  | the replica of prod/db in us-east-1 failed (KMS key not found), so it does not have the new version |'
      ].join('\n')
    )
  })
})

describe('run, a secret change with no services', () => {
  it('puts the value and starts no redeploy', async () => {
    setInputs(put)
    secretWithPut()
    await run({ clock: fakeClock(), env })
    expect(record.outputs.result).toBe('succeeded')
    expect(record.logs).toEqual([
      'No role-to-assume: using the credentials already in the environment',
      'Putting a new value into prod/db (AWSCURRENT is v1)',
      `Put new version ${token()} of prod/db.`
    ])
    expect(ecsMock.calls()).toHaveLength(0)
  })
})

describe('run, not waiting for the deployments', () => {
  it('reports the started services as started, not as cut short by a cancel', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/api', 'wait-for-service-stability': 'false' })
    fakeEcs(ecsMock, { 'prod/api': 'stuck' })
    await run({ clock: fakeClock(), env })
    expect(statuses()).toEqual([['prod/api', 'started', null]])
  })
})

describe('run, the order of the redeploy', () => {
  it('starts the service whose last deployment took longest first', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/quick\nprod/unknown\nprod/slow', 'wait-for-service-stability': 'false' })
    // How long each service's current deployment took, in seconds (unknown: ECS did not say).
    const took: Record<string, number | undefined> = { quick: 60, unknown: undefined, slow: 600 }
    const createdAt = new Date(Date.UTC(2025, 11, 1))
    ecsMock.on(DescribeServicesCommand).callsFake(async (input) => ({
      services: ((input.services ?? []) as string[])
        .filter((name) => input.cluster === 'prod' && name in took)
        .map((name) => {
          const seconds = took[name]
          const timing = seconds === undefined ? {} : { createdAt, updatedAt: new Date(createdAt.getTime() + seconds * 1000) }
          return service(name, [
            deployment(`ecs-svc/${name}-0`, { rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0, ...timing })
          ])
        })
    }))
    ecsMock
      .on(UpdateServiceCommand)
      .callsFake(async (input) => ({ service: service(input.service as string, [deployment(`ecs-svc/${input.service}-1`)]) }))
    await run({ clock: fakeClock(), env })
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.service)).toEqual(['slow', 'quick', 'unknown'])
    expect(statuses().map(([name, status]) => `${name} ${status}`)).toEqual([
      'prod/quick started',
      'prod/unknown started',
      'prod/slow started'
    ])
  })
})

describe('run, rollback-on-failure warning', () => {
  it('warns how many deployments failed and which version AWSCURRENT moves back to', async () => {
    setInputs({ ...put, services: 'prod/api\nprod/pdf\nprod/jobs', 'rollback-on-failure': 'true', 'deployment-timeout': '60s' })
    secretWithPut()
    sm.on(UpdateSecretVersionStageCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }))
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'prod/pdf': 'fails', 'prod/jobs': 'stuck' })
    await run({ clock: fakeClock(), env })
    expect(record.logs.filter((l) => l.startsWith('warning: ') && l.includes('AWSCURRENT'))).toEqual([
      'warning: 2 deployments did not succeed: moving AWSCURRENT of prod/db back to v1'
    ])
  })
})

describe('run, a throttled redeploy', () => {
  it('sends UpdateService again while throttled, within the deployment timeout', async () => {
    setInputs({ mode: 'redeploy', services: 'prod/api', 'wait-for-service-stability': 'false', 'deployment-timeout': '10m' })
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    let throttled = 0
    ecsMock.on(UpdateServiceCommand).callsFake(async (input) => {
      if (throttled++ < 2)
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })
      return { service: service(input.service as string, [deployment(`ecs-svc/${input.service}-1`)]) }
    })
    await run({ clock: fakeClock(), env })
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => `${c.args[0].input.cluster}/${c.args[0].input.service}`)).toEqual([
      'prod/api',
      'prod/api',
      'prod/api'
    ])
    expect(statuses()).toEqual([['prod/api', 'started', null]])
  })
})

describe('run, proving the rollout in a replica region', () => {
  it('counts a task there only if it started after the replica had the new version, not after the version was created', async () => {
    const replicaArn = ARN.replace(':eu-west-1:', ':eu-central-1:')
    const replicaCluster = 'arn:aws:ecs:eu-central-1:123456789012:cluster/prod'
    setInputs({ ...put, services: 'arn:aws:ecs:eu-central-1:123456789012:service/prod/api', 'verify-rollout': 'true' })
    const clock = fakeClock()
    let stages: VersionStages = { v1: ['AWSCURRENT'] }
    let createdAt = 0
    let replicaLooks = 0
    sm.on(DescribeSecretCommand).callsFake(async (input) => {
      // The replica shows the new version from its third look on.
      if (input.SecretId === replicaArn)
        return { ARN: replicaArn, Name: 'prod/db', VersionIdsToStages: ++replicaLooks > 2 ? stages : { v1: ['AWSCURRENT'] } }
      expectSecret(input.SecretId)
      return { ARN, Name: 'prod/db', VersionIdsToStages: stages, ReplicationStatus: [{ Region: 'eu-central-1', Status: 'InSync' }] }
    })
    sm.on(PutSecretValueCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      stages = { v1: ['AWSPREVIOUS'], [input.ClientRequestToken as string]: ['AWSCURRENT'] }
      createdAt = clock.now()
      return { ARN, VersionId: input.ClientRequestToken }
    })
    sm.on(ListSecretVersionIdsCommand).callsFake(async () => ({
      Versions: Object.keys(stages).map((id) => ({ VersionId: id, CreatedDate: new Date(id === 'v1' ? 0 : createdAt) }))
    }))
    fakeEcs(ecsMock, { [`${replicaCluster}/api`]: 'completes' })
    // Its one running task is from our deployment and started after the version was created, before the replica had it.
    ecsMock.on(ListTasksCommand).callsFake(async (input) => ({
      taskArns: input.cluster === replicaCluster ? [`arn:aws:ecs:eu-central-1:123456789012:task/prod/t1`] : []
    }))
    ecsMock.on(DescribeTasksCommand).callsFake(async (input) => ({
      tasks: (input.tasks ?? []).map((taskArn: string) => ({
        taskArn,
        group: 'service:api',
        startedBy: `ecs-svc/${`${replicaCluster}/api`.replace('/', '-')}-1`,
        startedAt: new Date(createdAt + 100)
      }))
    }))
    await run({ clock, env })
    expect(statuses()).toEqual([
      ['prod/api', 'failed', 'rolled out, but the running tasks do not prove it: 1 tasks started before the new secret version (e.g. t1)']
    ])
  })
})
