import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startEmulator, type Emulator } from '../../emulator/server.js'

// Debian's AWS CLI (botocore) is an independent client: if it can sign, send and parse these
// calls, and its waiter's acceptors agree with the endpoint, the endpoint speaks the real protocols.
const AWS = '/usr/bin/aws'
const exec = promisify(execFile)
const KEYS = { accessKeyId: 'AKIAEMULATORSTATIC01', secretAccessKey: 'emulator-static-secret-key-0000000000000' }
const ROLE = 'arn:aws:iam::123456789012:role/cli'

let emu: Emulator
const home = mkdtempSync(join(tmpdir(), 'awscli-'))

async function aws(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1'
  }
  try {
    const { stdout, stderr } = await exec(AWS, [...args, '--endpoint-url', emu.url, '--output', 'json'], { env, timeout: 60_000 })
    return { code: 0, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {}, stderr }
  } catch (error) {
    const e = error as { code: number; stderr: string }
    return { code: e.code, json: {}, stderr: e.stderr }
  }
}

beforeAll(async () => {
  emu = await startEmulator({
    staticCredentials: [KEYS],
    roles: [{ arn: ROLE }],
    secrets: [
      // Long enough that the "while it runs" checks land inside the window even when each awscli
      // start takes seconds on a loaded machine; the checks after it poll instead of sleeping.
      {
        name: 'app/db',
        value: 'v1-value',
        rotation: { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rot', durationMs: 12_000 }
      }
    ],
    // Long enough that two CLI processes (seconds each on a loaded machine) see it in progress.
    clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 6000 }] }]
  })
})
afterAll(async () => {
  await emu?.close()
})

describe('the local endpoint, driven by Debian awscli', () => {
  it('secretsmanager put-secret-value, describe-secret and get-secret-value agree on staging labels', async () => {
    const token = '11111111-2222-3333-4444-555555555555'
    const put = await aws(
      'secretsmanager',
      'put-secret-value',
      '--secret-id',
      'app/db',
      '--secret-string',
      'v2-value',
      '--client-request-token',
      token
    )
    expect(put.code).toBe(0)
    expect(put.json).toMatchObject({ Name: 'app/db', VersionId: token, VersionStages: ['AWSCURRENT'] })
    const again = await aws(
      'secretsmanager',
      'put-secret-value',
      '--secret-id',
      'app/db',
      '--secret-string',
      'other',
      '--client-request-token',
      token
    )
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain('ResourceExistsException')
    const described = await aws('secretsmanager', 'describe-secret', '--secret-id', 'app/db')
    const stages = described.json.VersionIdsToStages as Record<string, string[]>
    expect(stages[token]).toEqual(['AWSCURRENT'])
    expect(Object.values(stages)).toContainEqual(['AWSPREVIOUS'])
    const value = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'app/db')
    expect(value.json).toMatchObject({ SecretString: 'v2-value', VersionId: token })
  }, 60_000)

  it('secretsmanager rotate-secret runs the rotation and refuses a second one while it runs', async () => {
    const rotated = await aws('secretsmanager', 'rotate-secret', '--secret-id', 'app/db')
    expect(rotated.code).toBe(0)
    const versionId = rotated.json.VersionId as string
    const second = await aws('secretsmanager', 'rotate-secret', '--secret-id', 'app/db')
    expect(second.code).not.toBe(0)
    expect(second.stderr).toContain('InvalidRequestException')
    const during = await aws('secretsmanager', 'describe-secret', '--secret-id', 'app/db')
    expect((during.json.VersionIdsToStages as Record<string, string[]>)[versionId]).toEqual(['AWSPENDING'])
    let stages: string[] | undefined
    for (let i = 0; i < 60 && !stages?.includes('AWSCURRENT'); i++) {
      await new Promise((r) => setTimeout(r, 500))
      stages = (
        (await aws('secretsmanager', 'describe-secret', '--secret-id', 'app/db')).json.VersionIdsToStages as Record<string, string[]>
      )[versionId]
    }
    expect(stages).toEqual(['AWSCURRENT'])
  }, 120_000)

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    const missing = await aws('secretsmanager', 'describe-secret', '--secret-id', 'nope')
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('ResourceNotFoundException')
  }, 30_000)

  it('ecs update-service --force-new-deployment, describe-services and wait services-stable', async () => {
    const started = Date.now()
    const updated = await aws('ecs', 'update-service', '--cluster', 'prod', '--service', 'api', '--force-new-deployment')
    expect(updated.code).toBe(0)
    const deployments = (updated.json.service as { deployments: { status: string; rolloutState: string }[] }).deployments
    expect(deployments.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE'])
    const during = await aws('ecs', 'describe-services', '--cluster', 'prod', '--services', 'api')
    expect((during.json.services as { deployments: unknown[] }[])[0].deployments).toHaveLength(2)
    // The waiter polls every 15 s: start it once the deployment has completed.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 6100 - Date.now())))
    const wait = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'api')
    expect(wait.code).toBe(0)
    const after = await aws('ecs', 'describe-services', '--cluster', 'prod', '--services', 'api')
    const service = (after.json.services as { deployments: { rolloutState: string }[]; runningCount: number; desiredCount: number }[])[0]
    expect(service.deployments.map((d) => d.rolloutState)).toEqual(['COMPLETED'])
    expect(service.runningCount).toBe(service.desiredCount)
  }, 120_000)

  it('ecs wait services-stable fails on a missing service, and describe-services refuses 11 services', async () => {
    const wait = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'ghost')
    expect(wait.code).not.toBe(0)
    expect(wait.stderr).toMatch(/Waiter ServicesStable failed/)
    const many = await aws('ecs', 'describe-services', '--cluster', 'prod', '--services', ...Array.from({ length: 11 }, (_, i) => `s${i}`))
    expect(many.stderr).toContain('InvalidParameterException')
    const noCluster = await aws('ecs', 'describe-services', '--cluster', 'nowhere', '--services', 'api')
    expect(noCluster.stderr).toContain('ClusterNotFoundException')
  }, 60_000)

  it('sts assume-role-with-web-identity accepts the endpoint OIDC token and rejects a forged one', async () => {
    const token = emu.sts.issueIdToken('sts.amazonaws.com')
    const assumeWith = (webIdentityToken: string) =>
      aws(
        'sts',
        'assume-role-with-web-identity',
        '--role-arn',
        ROLE,
        '--role-session-name',
        'cli',
        '--web-identity-token',
        webIdentityToken
      )
    const assumed = await assumeWith(token)
    expect(assumed.code).toBe(0)
    expect(assumed.json).toMatchObject({
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
      AssumedRoleUser: { Arn: expect.stringContaining('assumed-role/cli/cli') }
    })
    const forged = await assumeWith(`${token.slice(0, -4)}AAAA`)
    expect(forged.stderr).toContain('InvalidIdentityToken')
  }, 30_000)

  it('rejects a request signed with the wrong secret key', async () => {
    const { stderr } = await exec(AWS, ['ecs', 'describe-clusters', '--endpoint-url', emu.url], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'wrong',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: join(home, 'config')
      }
    }).catch((e: { stderr: string }) => e)
    expect(stderr).toContain('InvalidSignatureException')
  }, 30_000)
})
