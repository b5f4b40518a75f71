import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { SECRET_ARN as ARN } from '../../../__fixtures__/report.js'
import { describeFrom, expectSecret } from '../../../__fixtures__/secrets-manager.js'
import { changeSettingsFrom } from '../../../__fixtures__/settings.js'
import { applySecretChange } from '../../../src/secret/apply.js'
import { versionToken } from '../../../src/secret/client-token.js'
import { prepareSecretChange, PrecheckError, type SecretPlan } from '../../../src/secret/prepare.js'
import type { VersionStages } from '../../../src/secret/staging-labels.js'

const sm = mockClient(SecretsManagerClient)
const client = new SecretsManagerClient({ region: 'eu-west-1' })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-0001-[0-9a-f]{12}$/
/** A version attempt 1 of run 42 (settingsFrom's run) wrote. */
const writtenByAttempt1 = (mode: string) => versionToken({ run: { id: '42', attempt: '1', serverUrl: '' }, secretArn: ARN, mode })
const attempt2 = { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' }
const denied = (message = 'not authorized') => Object.assign(new Error(message), { name: 'AccessDeniedException' })

async function prepare(inputs: Record<string, string>, masked: string[] = [], env?: NodeJS.ProcessEnv): Promise<SecretPlan> {
  const { settings } = changeSettingsFrom({ 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', ...inputs }, env)
  return prepareSecretChange(client, settings, (v) => void masked.push(v))
}

function waitOptions(clock = fakeClock(), extra: { signal?: AbortSignal; timeout?: number } = {}) {
  const logs: string[] = []
  return { clock, logs, rotationTimeoutSeconds: extra.timeout ?? 60, log: (m: string) => void logs.push(m), signal: extra.signal }
}

beforeEach(() => {
  sm.reset()
})

describe('prepareSecretChange', () => {
  it('with json-key and rollback-on-failure reads the version it merges into once, it being also the rollback target', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] }))
    sm.on(GetSecretValueCommand).callsFake(async (input) => ({ ARN, VersionId: input.VersionId, SecretString: '{"password":"old-pw"}' }))
    const plan = await prepare({
      mode: 'put',
      'json-key': 'password',
      'secret-string': 'new-pw',
      services: 'prod/api',
      'rollback-on-failure': 'true'
    })
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.VersionId)).toEqual(['v1'])
    expect(plan).toMatchObject({
      previousVersionId: 'v1',
      value: '{"password":"new-pw"}',
      rollbackCheck: { targetDigest: expect.any(String) }
    })
    expect(plan.rollbackCheck?.targetDigest).not.toBe(plan.rollbackCheck?.newDigest)
  })

  it('with if-rotation-in-progress: wait and nothing in progress, plans an ordinary rotation with its own token', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] }), { RotationEnabled: true })
    const plan = await prepare({ 'if-rotation-in-progress': 'wait' })
    expect(plan).toEqual({
      mode: 'rotate',
      arn: ARN,
      name: 'prod/db',
      region: 'eu-west-1',
      token: expect.stringMatching(UUID),
      previousVersionId: 'v1',
      baseVersionId: 'v1',
      jsonKey: undefined,
      alreadyCreated: false,
      adopted: false,
      rotationLambdaArn: undefined,
      owningService: undefined,
      turnsRotationBackOn: false,
      replicas: [],
      regions: ['eu-west-1']
    })
  })

  it('then rotates: RotateSecret is sent, not skipped as for a rotation already running', async () => {
    let stages: VersionStages = { v1: ['AWSCURRENT'] }
    describeFrom(sm, () => stages, { RotationEnabled: true })
    sm.on(RotateSecretCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      stages = { v1: ['AWSPREVIOUS'], [input.ClientRequestToken as string]: ['AWSCURRENT'] }
      return { ARN, VersionId: input.ClientRequestToken }
    })
    const options = waitOptions()
    const result = await applySecretChange(client, await prepare({ 'if-rotation-in-progress': 'wait' }), options)
    expect(sm.commandCalls(RotateSecretCommand)).toHaveLength(1)
    const token = sm.commandCalls(RotateSecretCommand)[0].args[0].input.ClientRequestToken
    expect(result).toMatchObject({ status: 'succeeded', versionId: token, previousVersionId: 'v1', adopted: false, reused: false })
    expect(options.logs[0]).toBe(`Started rotation of prod/db; the rotation function creates version ${token}.`)
  })

  it('with wait, treats the pending version an earlier attempt of this run started as its own, not adopted', async () => {
    const token = writtenByAttempt1('rotate')
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], [token]: ['AWSPENDING'] }), { RotationEnabled: true })
    expect(await prepare({ 'if-rotation-in-progress': 'wait' }, [], attempt2)).toMatchObject({
      token,
      adopted: false,
      alreadyCreated: true,
      writtenByAttempt: 1,
      previousVersionId: 'v1'
    })
  })

  it('without wait, still finishes the rotation an earlier attempt of this run started instead of refusing it', async () => {
    const token = writtenByAttempt1('rotate')
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], [token]: ['AWSPENDING'] }), { RotationEnabled: true })
    expect(await prepare({}, [], attempt2)).toMatchObject({ token, alreadyCreated: true, adopted: false })
  })

  it('adopts a running rotation even when the secret has no rotation configured itself', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }), { RotationEnabled: false })
    expect(await prepare({ 'if-rotation-in-progress': 'wait' })).toMatchObject({ token: 'v2', adopted: true })
  })

  it('refuses a rotation in progress with the command that clears it', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }), { RotationEnabled: true })
    await expect(prepare({})).rejects.toThrow(
      new PrecheckError(
        'secret "prod/db": a rotation is already in progress (version v2 is AWSPENDING; v1 [AWSCURRENT], v2 [AWSPENDING]). ' +
          'Wait for it to finish (or set `if-rotation-in-progress: wait`), or if it failed, fix the rotation function and remove the label: ' +
          'aws secretsmanager update-secret-version-stage --secret-id prod/db --version-stage AWSPENDING --remove-from-version-id v2'
      )
    )
  })

  it('on a re-run whose value an earlier attempt already made AWSCURRENT, writes nothing and keeps the version before the run', async () => {
    const token = writtenByAttempt1('put')
    describeFrom(sm, () => ({ [token]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }))
    sm.on(GetSecretValueCommand).callsFake(async (input) => ({
      ARN,
      VersionId: input.VersionId,
      SecretString: input.VersionId === token ? 'x' : 'old'
    }))
    expect(await prepare({ mode: 'put', 'secret-string': 'x' }, [], attempt2)).toEqual({
      mode: 'put',
      arn: ARN,
      name: 'prod/db',
      region: 'eu-west-1',
      token,
      previousVersionId: 'v1',
      baseVersionId: token,
      jsonKey: undefined,
      alreadyCreated: true,
      writtenByAttempt: 1,
      adopted: false,
      replicas: [],
      regions: ['eu-west-1'],
      rollbackCheck: undefined
    })
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.VersionId)).toEqual([token])
  })

  it('on a re-run with another value than the earlier attempt wrote, writes it as a new version and still rolls back to the version before the run', async () => {
    const token = writtenByAttempt1('put')
    describeFrom(sm, () => ({ [token]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }))
    sm.on(GetSecretValueCommand).resolves({ ARN, SecretString: 'what attempt 1 wrote' })
    expect(await prepare({ mode: 'put', 'secret-string': 'x' }, [], attempt2)).toMatchObject({
      token: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-0002-[0-9a-f]{12}$/),
      previousVersionId: 'v1',
      baseVersionId: token,
      alreadyCreated: false,
      value: 'x'
    })
  })

  it('rotates with the rotation function given when the secret has none configured', async () => {
    // DescribeSecret omits RotationEnabled for a secret whose rotation was never configured.
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), { RotationEnabled: undefined })
    const lambda = 'arn:aws:lambda:eu-west-1:123456789012:function:rot'
    expect(await prepare({ 'rotation-lambda-arn': lambda })).toMatchObject({ rotationLambdaArn: lambda, adopted: false })
  })

  it('refuses a secret whose rotation was turned off (RotateSecret turns it back on) unless if-rotation-disabled: enable', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), { RotationEnabled: false, RotationLambdaARN: 'arn:aws:lambda:eu-west-1:1:function:r' })
    await expect(prepare({})).rejects.toThrow('automatic rotation is turned off, and RotateSecret turns it back on')
    await expect(prepare({ 'if-rotation-disabled': 'enable' })).resolves.toMatchObject({ mode: 'rotate', turnsRotationBackOn: true })
  })

  it('names the secret by its id when DescribeSecret gives no name', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, VersionIdsToStages: { v1: ['AWSCURRENT'] }, RotationEnabled: true })
    expect((await prepare({})).name).toBe('prod/db')
  })

  it('passes on why DescribeSecret failed, with the AWS error name', async () => {
    sm.on(DescribeSecretCommand).rejects(denied('User is not authorized to perform secretsmanager:DescribeSecret'))
    await expect(prepare({})).rejects.toThrow(
      new PrecheckError(
        'Could not describe secret "prod/db": AccessDeniedException: User is not authorized to perform secretsmanager:DescribeSecret'
      )
    )
  })

  it('refuses a secret scheduled for deletion, saying how to restore it', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }), { DeletedDate: new Date('2026-01-02T03:04:05Z') })
    await expect(prepare({})).rejects.toThrow(
      '`secret-id`: secret "prod/db" is scheduled for deletion (since 2026-01-02T03:04:05.000Z); restore it first (aws secretsmanager restore-secret)'
    )
  })

  it('refuses a generated password that came back empty', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(GetRandomPasswordCommand).resolves({})
    await expect(prepare({ mode: 'put', 'generate-password': 'true' })).rejects.toThrow(
      new PrecheckError('GetRandomPassword returned no password')
    )
  })

  it('passes exclude-characters to GetRandomPassword', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'abcdefgh' })
    await prepare({ mode: 'put', 'generate-password': 'true', 'exclude-characters': '"@/' })
    expect(sm.commandCalls(GetRandomPasswordCommand)[0].args[0].input).toEqual({
      PasswordLength: 32,
      ExcludeCharacters: '"@/',
      ExcludePunctuation: false
    })
  })

  it('refuses json-key on a secret without an AWSCURRENT version', async () => {
    describeFrom(sm, () => ({}))
    await expect(prepare({ mode: 'put', 'secret-string': 'x', 'json-key': 'password' })).rejects.toThrow(
      '`json-key`: secret has no AWSCURRENT version to merge "password" into'
    )
  })

  it('refuses json-key on a binary secret', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) })
    await expect(prepare({ mode: 'put', 'secret-string': 'x', 'json-key': 'password' })).rejects.toThrow(
      '`json-key`: the current value is binary, not a JSON object'
    )
  })

  it.each(['not json at all', '"a string"', 'null', '42'])('refuses json-key when the current value is %s, and masks it', async (value) => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(GetSecretValueCommand).callsFake(async (input) => {
      expectSecret(input.SecretId)
      return { SecretString: value }
    })
    const masked: string[] = []
    await expect(prepare({ mode: 'put', 'secret-string': 'x', 'json-key': 'password' }, masked)).rejects.toThrow(
      '`json-key`: the current value of the secret is not a JSON object, so key "password" cannot be set in it'
    )
    expect(masked).toContain(value)
  })

  it('merges a generated password into the JSON secret and masks both', async () => {
    describeFrom(sm, () => ({ v1: ['AWSCURRENT'] }))
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'Gen-Pass-1' })
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"user":"app"}' })
    const masked: string[] = []
    const plan = await prepare({ mode: 'put', 'generate-password': 'true', 'json-key': 'password' }, masked)
    expect(plan.value).toBe('{"user":"app","password":"Gen-Pass-1"}')
    expect(masked).toEqual(expect.arrayContaining(['Gen-Pass-1', '{"user":"app","password":"Gen-Pass-1"}']))
  })
})
