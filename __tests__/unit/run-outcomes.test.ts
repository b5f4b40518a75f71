import { describe, expect, it } from '@jest/globals'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand
} from '@aws-sdk/client-secrets-manager'
import { UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { fakeClock } from '../../__fixtures__/clock.js'
import { runHarness } from '../../__fixtures__/run.js'
import { fakeEcs } from '../../__fixtures__/fake-ecs.js'
import { SECRET_ARN as ARN } from '../../__fixtures__/report.js'
import { expectSecret, notFound } from '../../__fixtures__/secrets-manager.js'
import type { VersionStages } from '../../src/secret/staging-labels.js'

// run() end to end over mocked AWS that answers from what it is asked: which secret, which
// cluster and service. Services are named cluster/service; `api` in prod and in batch are two.
const { run, record, sm, ecs: ecsMock, env, setInputs, statuses } = await runHarness()
const VALUE = 'n3w-Secret-Value'
const put = { mode: 'put', 'secret-id': 'prod/db', 'secret-string': VALUE, 'verify-rollout': 'false' }

/**
 * prod/db in Secrets Manager, starting at v1: a put moves AWSCURRENT to its version, a stage
 * move moves it as asked unless AWSCURRENT is not where RemoveFromVersionId says. `afterPut` and
 * `afterMove` let another writer act right after our write lands.
 */
function secretsManager(
  options: { afterPut?: (stages: VersionStages) => VersionStages; afterMove?: () => VersionStages; refuseMove?: boolean } = {}
) {
  let stages: VersionStages = { v1: ['AWSCURRENT'] }
  const values = new Map<string, string>([['v1', 'the-old-value']])
  sm.on(GetSecretValueCommand).callsFake(async (input) => {
    expectSecret(input.SecretId)
    if (!values.has(input.VersionId as string)) throw notFound()
    return { ARN, VersionId: input.VersionId, SecretString: values.get(input.VersionId as string) }
  })
  sm.on(DescribeSecretCommand).callsFake(async (input) => {
    expectSecret(input.SecretId)
    return { ARN, Name: 'prod/db', VersionIdsToStages: stages }
  })
  sm.on(PutSecretValueCommand).callsFake(async (input) => {
    expectSecret(input.SecretId)
    stages = { v1: ['AWSPREVIOUS'], [input.ClientRequestToken as string]: ['AWSCURRENT'] }
    values.set(input.ClientRequestToken as string, input.SecretString as string)
    stages = options.afterPut?.(stages) ?? stages
    return { ARN, VersionId: input.ClientRequestToken }
  })
  sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [] })
  sm.on(UpdateSecretVersionStageCommand).callsFake(async (input) => {
    expectSecret(input.SecretId)
    if (options.refuseMove) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' })
    const from = input.RemoveFromVersionId as string
    if (!stages[from]?.includes('AWSCURRENT'))
      throw Object.assign(new Error(`AWSCURRENT is not on ${from}`), { name: 'InvalidParameterException' })
    stages = options.afterMove?.() ?? { [input.MoveToVersionId as string]: ['AWSCURRENT'], [from]: ['AWSPREVIOUS'] }
    return { ARN }
  })
  return { stages: () => stages }
}

const token = () => sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.ClientRequestToken as string
const updatesOf = () => ecsMock.commandCalls(UpdateServiceCommand).map((c) => `${c.args[0].input.cluster}/${c.args[0].input.service}`)

describe('run with mixed outcomes', () => {
  it('reports each service by its own fate, fails the step, and keeps the new value', async () => {
    setInputs({ ...put, services: 'prod/api\nbatch/api\nprod/slow\nprod/locked', 'deployment-timeout': '2m' })
    const { stages } = secretsManager()
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'batch/api': 'fails', 'prod/slow': 'stuck', 'prod/locked': 'refused' })
    await run({ clock: fakeClock(), env })

    expect(process.exitCode).toBe(1)
    expect(record.outputs.result).toBe('failed')
    expect(statuses()).toEqual([
      ['prod/api', 'succeeded', null],
      ['batch/api', 'failed', 'deployment failed: tasks failed to start'],
      ['prod/slow', 'timed-out', 'still in progress after 120s: 1/2 running, 1 pending, rollout IN_PROGRESS'],
      ['prod/locked', 'failed', 'UpdateService failed: AccessDeniedException: User is not authorized to perform: ecs:UpdateService']
    ])
    expect(record.outputs['failed-services']).toBe('batch/api\nprod/slow\nprod/locked')
    // Annotations put failed services before timed-out ones.
    expect(record.errors.map((e) => e.title)).toEqual(['batch/api', 'prod/locked', 'prod/slow'])
    // No rollback was asked for: the new version stays AWSCURRENT and the outputs say so.
    expect(stages()[token()]).toEqual(['AWSCURRENT'])
    expect(record.outputs['version-id']).toBe(token())
    expect(record.notices).toEqual([
      `prod/db: version ${token()} is AWSCURRENT (put; previous v1 is AWSPREVIOUS); 4 services: 1 succeeded, 2 failed, 1 timed-out`
    ])
  })

  it('takes running/desired from our deployment, not from the service (which mixes in the old one)', async () => {
    setInputs({ ...put, services: 'prod/api\nprod/slow', 'deployment-timeout': '60s' })
    secretsManager()
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'prod/slow': 'stuck' })
    await run({ clock: fakeClock(), env })
    expect(record.summary[0]).toMatch(
      /\| prod \| \[api\]\([^)]+\/clusters\/prod\/services\/api\/deployments\?region=[a-z0-9-]+\) \| ✅ succeeded \| \d+s \| 2\/2 \|/
    )
    expect(record.summary[0]).toMatch(
      /\| prod \| \[slow\]\([^)]+\/clusters\/prod\/services\/slow\/deployments\?region=[a-z0-9-]+\) \| ⏱️ timed out \| \d+s \| 1\/2 \|/
    )
  })
})

describe('run, rollback-on-failure', () => {
  const rollbackInputs = { ...put, services: 'prod/api\nprod/pdf', 'rollback-on-failure': 'true' }

  it('does not redeploy again when moving AWSCURRENT back failed, and says the new value is still current', async () => {
    setInputs(rollbackInputs)
    const { stages } = secretsManager({ refuseMove: true })
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'prod/pdf': 'fails' })
    await run({ clock: fakeClock(), env })

    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1)
    // One redeploy per service: the first round only.
    expect(updatesOf()).toEqual(['prod/api', 'prod/pdf'])
    expect(stages()[token()]).toEqual(['AWSCURRENT'])
    expect(record.outputs.result).toBe('failed')
    expect(record.outputs['version-id']).toBe(token())
    expect(record.errors).toContainEqual({
      title: 'rollback of prod/db',
      message: `UpdateSecretVersionStage failed: AccessDeniedException: User is not authorized. AWSCURRENT is still on ${token()}, the new value.`
    })
    expect(record.notices[0]).toMatch(/; rollback failed$/)
    expect(record.summary[0]).toContain('Deployments failed, and moving AWSCURRENT back failed: UpdateSecretVersionStage failed')
  })

  it('does not redeploy again when AWSCURRENT is elsewhere right after moving it back', async () => {
    setInputs(rollbackInputs)
    // Another writer's version v9 takes AWSCURRENT just after our move.
    secretsManager({ afterMove: () => ({ v1: ['AWSPREVIOUS'], v9: ['AWSCURRENT'] }) })
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'prod/pdf': 'fails' })
    await run({ clock: fakeClock(), env })
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1)
    expect(updatesOf()).toEqual(['prod/api', 'prod/pdf'])
    expect(record.errors).toContainEqual({
      title: 'rollback of prod/db',
      message: 'AWSCURRENT is not on v1 after the move (v1 [AWSPREVIOUS], v9 [AWSCURRENT])'
    })
    expect(record.outputs.result).toBe('failed')
  })

  it('redeploys again with the old value once AWSCURRENT is back on it', async () => {
    setInputs(rollbackInputs)
    const { stages } = secretsManager()
    fakeEcs(ecsMock, { 'prod/api': 'completes', 'prod/pdf': ['fails', 'completes'] })
    await run({ clock: fakeClock(), env })
    expect(stages().v1).toEqual(['AWSCURRENT'])
    expect(updatesOf()).toEqual(['prod/api', 'prod/pdf', 'prod/api', 'prod/pdf'])
    expect(record.outputs['version-id']).toBe('v1')
    expect(record.outputs.result).toBe('failed')
    expect(record.notices[0]).toMatch(/; rolled back to v1; 2 of 2 services redeployed with it$/)
  })
})

describe('run, the concurrent-label guard', () => {
  it('does not redeploy when another writer moved AWSCURRENT off our new version, and says where the labels are', async () => {
    setInputs({ ...put, services: 'prod/api' })
    secretsManager({
      afterPut: (s) => ({
        ...Object.fromEntries(Object.keys(s).map((id) => [id, s[id].includes('AWSCURRENT') ? ['AWSPREVIOUS'] : []])),
        v9: ['AWSCURRENT']
      })
    })
    fakeEcs(ecsMock, { 'prod/api': 'completes' })
    await run({ clock: fakeClock(), env })

    expect(updatesOf()).toEqual([])
    expect(process.exitCode).toBe(1)
    expect(record.outputs['version-id']).toBe('')
    expect(record.errors).toEqual([
      {
        title: 'secret prod/db',
        message: `put failed: version ${token()} exists but is not AWSCURRENT (${token()} [AWSPREVIOUS], v9 [AWSCURRENT]); another change moved the label`
      }
    ])
    expect(statuses()).toEqual([
      ['prod/api', 'skipped', 'not redeployed: the secret change failed, so the running tasks keep the current value']
    ])
    expect(JSON.stringify([record.outputs, record.errors, record.notices, record.logs, record.summary])).not.toContain(VALUE)
  })
})

describe('run, discovery in mode redeploy', () => {
  it('names a secret that does not exist in the region, as the pre-check does, before any ECS call', async () => {
    setInputs({ mode: 'redeploy', 'secret-id': 'prod/nope', 'discover-services': 'true', clusters: 'prod' })
    secretsManager()
    await run({ clock: fakeClock(), env })
    expect(record.errors).toEqual([{ title: 'Service discovery', message: '`secret-id`: secret "prod/nope" does not exist in eu-west-1' }])
    expect(ecsMock.calls()).toHaveLength(0)
    expect(process.exitCode).toBe(1)
  })
})
