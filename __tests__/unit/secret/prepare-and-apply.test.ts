import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  ListSecretVersionIdsCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  LimitExceededException,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { changeSettingsFrom } from '../../../__fixtures__/settings.js'
import { applySecretChange } from '../../../src/secret/apply.js'
import { attemptThatWrote, versionToken } from '../../../src/secret/client-token.js'
import { prepareSecretChange, PrecheckError } from '../../../src/secret/prepare.js'
import { secretMasker } from '../../../src/secret/mask.js'
import { namesTheReportShows } from '../../../src/settings/index.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
const sm = mockClient(SecretsManagerClient)
const client = new SecretsManagerClient({ region: 'eu-west-1' })
const run = (attempt = '1') => ({ id: '42', attempt, serverUrl: '' })
/** A version an attempt of run 42 wrote (as settingsFrom's run is run 42, attempt 1, no job or step). */
const writtenBy = (mode: string, attempt: string) => versionToken({ run: run(attempt), secretArn: ARN, mode })
/** The token the plan's write carries: the VersionId of the version this attempt makes. */
const putToken = () => sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.ClientRequestToken as string
const rotateToken = () => sm.commandCalls(RotateSecretCommand)[0]?.args[0].input.ClientRequestToken as string
/** DescribeSecret answered with `before` until the write, then with what `after(token)` says. */
function describeAround(before: Record<string, string[]>, after: (token: string) => Record<string, string[]>, token: () => string) {
  sm.on(DescribeSecretCommand).callsFake(async () => describing(token() ? after(token()) : before))
}

function describing(stages: Record<string, string[]>, extra: Record<string, unknown> = {}) {
  return {
    ARN,
    Name: 'prod/db',
    VersionIdsToStages: stages,
    RotationEnabled: true,
    RotationLambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:rot',
    ...extra
  }
}

async function plan(inputs: Record<string, string>, masked: string[] = []) {
  const { settings } = changeSettingsFrom({ 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', ...inputs })
  return prepareSecretChange(
    client,
    settings,
    secretMasker((v) => void masked.push(v), namesTheReportShows(settings))
  )
}

const options = (clock = fakeClock(), logs: string[] = []) => ({ clock, rotationTimeoutSeconds: 60, log: (m: string) => void logs.push(m) })

beforeEach(() => {
  sm.reset()
})

describe('put', () => {
  it('puts the given value with the token of this attempt and reports versions', async () => {
    describeAround({ v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] }, (token) => ({ [token]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }), putToken)
    sm.on(PutSecretValueCommand).callsFake(async (input) => ({ VersionId: input.ClientRequestToken }))
    const p = await plan({ mode: 'put', 'secret-string': 'new-value' })
    const result = await applySecretChange(client, p, options())
    expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: ARN,
      ClientRequestToken: p.token,
      SecretString: 'new-value'
    })
    expect(attemptThatWrote(p.token, { run: run('2'), secretArn: ARN, mode: 'put' })).toBe(1)
    expect(result).toMatchObject({ status: 'succeeded', versionId: p.token, previousVersionId: 'v1', reused: false })
  })

  it('generates the value with GetRandomPassword and masks it at once', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'Gen3rated!Pass' })
    const masked: string[] = []
    const p = await plan({ mode: 'put', 'generate-password': 'true', 'password-length': '14', 'exclude-punctuation': 'true' }, masked)
    expect(sm.commandCalls(GetRandomPasswordCommand)[0].args[0].input).toEqual({
      PasswordLength: 14,
      ExcludeCharacters: undefined,
      ExcludePunctuation: true
    })
    expect(p.value).toBe('Gen3rated!Pass')
    expect(masked).toContain('Gen3rated!Pass')
  })

  it('merges into one key of the current JSON secret, keeping the others, and masks old fields', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'app_user', password: 'old-password', port: 5432 }) })
    const masked: string[] = []
    const p = await plan({ mode: 'put', 'secret-string': 'new-password', 'json-key': 'password' }, masked)
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: ARN, VersionId: 'v1' })
    expect(JSON.parse(p.value as string)).toEqual({ username: 'app_user', password: 'new-password', port: 5432 })
    expect(masked).toEqual(expect.arrayContaining(['old-password', 'app_user', p.value]))
  })

  it('refuses json-key when the current value is not a JSON object, before any write', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(GetSecretValueCommand).resolves({ SecretString: '["a"]' })
    await expect(plan({ mode: 'put', 'secret-string': 'x', 'json-key': 'password' })).rejects.toThrow(
      '`json-key`: the current value of the secret is not a JSON object'
    )
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0)
  })

  it('writes again when AWSCURRENT was written by this same attempt (another matrix leg of the step)', async () => {
    const sibling = writtenBy('put', '1')
    describeAround(
      { [sibling]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] },
      (token) => ({ [token]: ['AWSCURRENT'], [sibling]: ['AWSPREVIOUS'] }),
      putToken
    )
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'fresh' })
    sm.on(PutSecretValueCommand).callsFake(async (input) => ({ VersionId: input.ClientRequestToken }))
    const p = await plan({ mode: 'put', 'generate-password': 'true' })
    const result = await applySecretChange(client, p, options())
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(1)
    expect(p.token).not.toBe(sibling)
    expect(result).toMatchObject({ status: 'succeeded', reused: false, versionId: p.token, previousVersionId: sibling })
  })

  it('does not write again when an earlier attempt of this run wrote the AWSCURRENT version (generated value)', async () => {
    const earlier = writtenBy('put', '1')
    sm.on(DescribeSecretCommand).resolves(describing({ [earlier]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }))
    sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [] })
    const logs: string[] = []
    const { settings } = changeSettingsFrom(
      { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', mode: 'put', 'generate-password': 'true' },
      { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' }
    )
    const p = await prepareSecretChange(client, settings, () => undefined)
    const result = await applySecretChange(client, p, options(fakeClock(), logs))
    expect(sm.commandCalls(GetRandomPasswordCommand)).toHaveLength(0)
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0)
    expect(result).toMatchObject({ status: 'succeeded', reused: true, writtenByAttempt: 1, versionId: earlier, previousVersionId: 'v1' })
    expect(logs).toContain(`Version ${earlier} was written by attempt 1 of this run and step; not writing it again.`)
  })

  it('reports a failed put with the secret unchanged', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }))
    const result = await applySecretChange(client, await plan({ mode: 'put', 'secret-string': 'x' }), options())
    expect(result.status).toBe('failed')
    expect(result.reason).toBe(
      'PutSecretValue failed: AccessDeniedException: User is not authorized. AWSCURRENT is still on v1; nothing was changed.'
    )
  })
})

describe('pre-checks', () => {
  it('names an unknown secret', async () => {
    sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }))
    await expect(plan({})).rejects.toThrow('`secret-id`: secret "prod/db" does not exist in eu-west-1')
  })

  it('refuses a secret scheduled for deletion', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }, { DeletedDate: new Date('2026-01-01T00:00:00Z') }))
    await expect(plan({})).rejects.toThrow(/scheduled for deletion/)
  })

  it('refuses a rotation while another is in progress, naming the pending version', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }))
    const error = await plan({}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PrecheckError)
    expect((error as Error).message).toMatch(/a rotation is already in progress \(version v2 is AWSPENDING/)
  })

  it('ignores AWSPENDING left on the current version', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT', 'AWSPENDING'] }))
    await expect(plan({})).resolves.toMatchObject({ mode: 'rotate', previousVersionId: 'v1' })
  })

  it('refuses rotate when no rotation is configured and no function is given', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }, { RotationEnabled: false, RotationLambdaARN: undefined }))
    await expect(plan({})).rejects.toThrow(/no rotation configured: set `rotation-lambda-arn`/)
  })
})

describe('pre-checks that follow AWS', () => {
  it('refuses put on a secret another service manages, naming the service', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }, { OwningService: 'rds', RotationLambdaARN: undefined }))
    await expect(plan({ mode: 'put', 'secret-string': 'x' })).rejects.toThrow(
      /^`secret-id`: secret "prod\/db" is managed by rds \(OwningService\), which owns its value.*Change it through rds/
    )
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0)
  })

  it('lets rotate ask the managing service to rotate, without a rotation function', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }, { OwningService: 'rds', RotationLambdaARN: undefined }))
    await expect(plan({})).resolves.toMatchObject({ mode: 'rotate', owningService: 'rds', turnsRotationBackOn: false })
  })

  it('refuses rotate when automatic rotation is turned off, unless if-rotation-disabled: enable', async () => {
    sm.on(DescribeSecretCommand).resolves(
      describing({ v1: ['AWSCURRENT'] }, { RotationEnabled: false, RotationRules: { ScheduleExpression: 'rate(30 days)' } })
    )
    await expect(plan({})).rejects.toThrow(
      'secret "prod/db": automatic rotation is turned off, and RotateSecret turns it back on (schedule rate(30 days)). Set `if-rotation-disabled: enable`'
    )
    await expect(plan({ 'if-rotation-disabled': 'enable' })).resolves.toMatchObject({ turnsRotationBackOn: true })
  })

  it('does not retry a version quota and says what it is', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(PutSecretValueCommand).rejects(
      new LimitExceededException({
        message: 'The request failed because it would exceed one of the Secrets Manager quotas.',
        $metadata: {}
      })
    )
    const result = await applySecretChange(client, await plan({ mode: 'put', 'secret-string': 'x' }), options())
    expect(result.status).toBe('failed')
    expect(result.reason).toMatch(
      /^PutSecretValue failed: LimitExceededException: The request failed .*quotas\. This is a Secrets Manager quota, not throttling, so it was not retried: most often the number of versions/
    )
    expect(result.reason).toContain('AWSCURRENT is still on v1; nothing was changed.')
  })
})

describe('rotate', () => {
  it('starts the rotation and waits until the new version is AWSCURRENT', async () => {
    let looks = 0
    describeAround(
      { v1: ['AWSCURRENT'] },
      (token) => (++looks < 3 ? { v1: ['AWSCURRENT'], [token]: ['AWSPENDING'] } : { v1: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] }),
      rotateToken
    )
    sm.on(RotateSecretCommand).callsFake(async (input) => ({ VersionId: input.ClientRequestToken }))
    const clock = fakeClock()
    const result = await applySecretChange(client, await plan({}), options(clock))
    const token = rotateToken()
    expect(sm.commandCalls(RotateSecretCommand)[0].args[0].input).toEqual({
      SecretId: ARN,
      ClientRequestToken: token,
      RotationLambdaARN: undefined,
      RotateImmediately: true
    })
    expect(result).toMatchObject({ status: 'succeeded', versionId: token, previousVersionId: 'v1' })
    expect(clock.sleeps).toEqual([1000, 1500])
  })

  it('fails at rotation-timeout saying the version is stuck in AWSPENDING and AWSCURRENT is unchanged', async () => {
    describeAround({ v1: ['AWSCURRENT'] }, (token) => ({ v1: ['AWSCURRENT'], [token]: ['AWSPENDING'] }), rotateToken)
    sm.on(RotateSecretCommand).callsFake(async (input) => ({ VersionId: input.ClientRequestToken }))
    const clock = fakeClock()
    const result = await applySecretChange(client, await plan({}), options(clock))
    const token = rotateToken()
    expect(result.status).toBe('failed')
    expect(result.reason).toContain(`version ${token} is stuck in AWSPENDING`)
    expect(result.reason).toContain('AWSCURRENT is still on v1')
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000)
  })

  it('waits for the rotation an earlier attempt of this run started (killed after RotateSecret), without rotating again', async () => {
    const token = writtenBy('rotate', '1')
    sm.on(DescribeSecretCommand)
      .resolvesOnce(describing({ v1: ['AWSCURRENT'], [token]: ['AWSPENDING'] }))
      .resolves(describing({ v1: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] }))
    const { settings } = changeSettingsFrom(
      { 'aws-region': 'eu-west-1', 'secret-id': 'prod/db' },
      { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' }
    )
    const result = await applySecretChange(client, await prepareSecretChange(client, settings, () => undefined), options())
    expect(sm.commandCalls(RotateSecretCommand)).toHaveLength(0)
    expect(result).toMatchObject({ status: 'succeeded', reused: true, writtenByAttempt: 1, versionId: token, previousVersionId: 'v1' })
  })

  it('reports InvalidRequestException from RotateSecret as a rotation started since the pre-check', async () => {
    sm.on(DescribeSecretCommand).resolves(describing({ v1: ['AWSCURRENT'] }))
    sm.on(RotateSecretCommand).rejects(Object.assign(new Error("A previous rotation isn't complete."), { name: 'InvalidRequestException' }))
    const result = await applySecretChange(client, await plan({}), options())
    expect(result.reason).toMatch(
      /another rotation may have started since the pre-check.*InvalidRequestException.*AWSCURRENT is still on v1/
    )
  })
})

describe('if-rotation-in-progress: wait', () => {
  it('waits for the rotation already running and reports its version, without rotating again', async () => {
    sm.on(DescribeSecretCommand)
      .resolvesOnce(describing({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }))
      .resolvesOnce(describing({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }))
      .resolves(describing({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }))
    const logs: string[] = []
    const p = await plan({ 'if-rotation-in-progress': 'wait' })
    expect(p).toMatchObject({ token: 'v2', adopted: true, alreadyCreated: true, previousVersionId: 'v1' })
    const result = await applySecretChange(client, p, options(fakeClock(), logs))
    expect(sm.commandCalls(RotateSecretCommand)).toHaveLength(0)
    expect(result).toMatchObject({ status: 'succeeded', versionId: 'v2', previousVersionId: 'v1', adopted: true, reused: false })
    expect(logs[0]).toContain('A rotation is already in progress (version v2): waiting for it')
  })
})
