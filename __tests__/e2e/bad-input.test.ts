import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errors, runScenario } from '../../__fixtures__/e2e.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

// Each bad input or bad resource must stop the bundled action with an ::error naming it, and
// the endpoint's call log must show no write (PutSecretValue, RotateSecret,
// UpdateSecretVersionStage, UpdateService).
const dir = mkdtempSync(join(tmpdir(), 'bad-input-'))
const emptyFile = join(dir, 'empty')
writeFileSync(emptyFile, '')
const ROT = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate'
const put = { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'v-new-123' }
const rotate = { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' }

const CASES: [string, Record<string, string>, string][] = [
  ['unknown mode', { ...rotate, mode: 'replace' }, '`mode`: "replace" is not one of'],
  ['region not a region', { ...rotate, 'aws-region': 'eu_west' }, '`aws-region`'],
  ['no secret-id for rotate', { ...rotate, 'secret-id': '' }, '`secret-id`: required with mode rotate'],
  ['secret name with spaces', { ...rotate, 'secret-id': 'prod db' }, '`secret-id`: a secret name is'],
  [
    'secret ARN of another service',
    { ...rotate, 'secret-id': 'arn:aws:ssm:eu-west-1:123456789012:parameter/x' },
    '`secret-id`: not a valid Secrets Manager ARN'
  ],
  [
    'secret ARN without region',
    { ...rotate, 'secret-id': 'arn:aws:secretsmanager::123456789012:secret:x' },
    '`secret-id`: not a valid Secrets Manager ARN'
  ],
  ['role not an ARN', { ...rotate, 'role-to-assume': 'deployer' }, '`role-to-assume`: not an IAM role ARN'],
  ['role ARN of a user', { ...rotate, 'role-to-assume': 'arn:aws:iam::123456789012:user/bob' }, '`role-to-assume`: not an IAM role ARN'],
  ['session name too short', { ...rotate, 'role-session-name': 'x' }, '`role-session-name`'],
  ['session name with a slash', { ...rotate, 'role-session-name': 'a/b' }, '`role-session-name`'],
  ['session too short', { ...rotate, 'role-duration-seconds': '300' }, '`role-duration-seconds`'],
  ['put without a value', { ...put, 'secret-string': '' }, 'mode put needs exactly one of'],
  ['put with two values', { ...put, 'generate-password': 'true' }, 'secret-string and generate-password are all set'],
  ['rotate with a value', { ...rotate, 'secret-string': 'v-x-123' }, '`secret-string`: only applies to mode put'],
  [
    'redeploy with generate-password',
    { mode: 'redeploy', services: 'prod/api', 'generate-password': 'true' },
    '`generate-password`: only applies to mode put'
  ],
  ['missing secret-file', { ...put, 'secret-string': '', 'secret-file': join(dir, 'nope') }, '`secret-file`: cannot read'],
  ['empty secret-file', { ...put, 'secret-string': '', 'secret-file': emptyFile }, '`secret-file`: ' + `"${emptyFile}" is empty`],
  ['password too long', { ...put, 'secret-string': '', 'generate-password': 'true', 'password-length': '5000' }, '`password-length`'],
  ['password length without generating', { ...put, 'password-length': '20' }, '`password-length`: only applies with generate-password'],
  ['boolean not a boolean', { ...put, 'secret-string': '', 'generate-password': 'yes' }, '`generate-password`: "yes" is not true or false'],
  ['json-key with rotate', { ...rotate, 'json-key': 'password' }, '`json-key`: only applies to mode put'],
  [
    'rotation function not a Lambda ARN',
    { ...rotate, 'rotation-lambda-arn': 'rotate-fn' },
    '`rotation-lambda-arn`: not a Lambda function ARN'
  ],
  ['rotation function with put', { ...put, 'rotation-lambda-arn': ROT }, '`rotation-lambda-arn`: only applies to mode rotate'],
  ['bad rotation-timeout', { ...rotate, 'rotation-timeout': 'ten minutes' }, '`rotation-timeout`'],
  ['bad deployment-timeout', { ...rotate, 'deployment-timeout': '0s' }, '`deployment-timeout`'],
  ['max-concurrency zero', { ...rotate, 'max-concurrency': '0' }, '`max-concurrency`'],
  ['wait flag not a boolean', { ...rotate, 'wait-for-service-stability': 'maybe' }, '`wait-for-service-stability`'],
  ['service line without cluster', { ...rotate, services: 'api' }, '`services`: line 1 "api": expected cluster/service'],
  ['service line with empty service', { ...rotate, services: 'prod/' }, '`services`: line 1 "prod/"'],
  [
    'duplicate service line',
    { ...rotate, services: 'prod/api\n# again\nprod/api' },
    '`services`: line 3 "prod/api": prod/api is already listed on line 1'
  ],
  ['old-format service ARN', { ...rotate, services: 'arn:aws:ecs:eu-west-1:123456789012:service/api' }, 'old-format service ARN'],
  [
    'service ARN of another service',
    { ...rotate, services: 'arn:aws:lambda:eu-west-1:123456789012:function:api' },
    'expected an ECS service ARN'
  ],
  ['service ARN with a bad account', { ...rotate, services: 'arn:aws:ecs:eu-west-1:12345:service/prod/api' }, 'is not a valid account id'],
  ['redeploy without services', { mode: 'redeploy' }, '`services`: required with mode redeploy'],
  ['rollback with rotate', { ...rotate, 'rollback-on-failure': 'true' }, '`rollback-on-failure`: only applies to mode put'],
  // Resources: checked against the endpoint, still before any write.
  ['unknown secret', { ...rotate, 'secret-id': 'prod/nope' }, '`secret-id`: secret "prod/nope" does not exist in eu-west-1'],
  ['unknown cluster', { ...rotate, services: 'prod/api\nstaging/api' }, 'cluster "staging" does not exist'],
  ['unknown service', { ...rotate, services: 'prod/api\nprod/ghost' }, 'service "ghost" does not exist in cluster "prod"'],
  ['service not ACTIVE', { ...rotate, services: 'prod/old' }, 'prod/old (eu-west-1): service is DRAINING, not ACTIVE'],
  [
    'json-key on a secret that is not JSON',
    { ...put, 'json-key': 'password', services: 'prod/api' },
    '`json-key`: the current value of the secret is not a JSON object'
  ],
  ['secret scheduled for deletion', { ...rotate, 'secret-id': 'prod/deleted' }, 'scheduled for deletion'],
  ['rotation not configured', { ...rotate, 'secret-id': 'prod/plain' }, 'has no rotation configured: set `rotation-lambda-arn`'],
  ['rotation already in progress', { ...rotate, 'secret-id': 'prod/busy' }, 'a rotation is already in progress'],
  [
    'service in a cluster of another region',
    { ...rotate, services: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api' },
    'cluster "prod" does not exist'
  ]
]

// Each case gets an endpoint of its own: a write made by one case cannot fail another, and
// every case starts from the same untouched secrets and services.
const SCENARIO: ScenarioInput = {
  secrets: [
    { name: 'prod/db', value: 'plain-text-value', rotation: { lambdaArn: ROT } },
    { name: 'prod/deleted', value: 'gone-value', deleted: true, rotation: { lambdaArn: ROT } },
    { name: 'prod/plain', value: 'no-rotation-value' },
    { name: 'prod/busy', value: 'busy-value', rotation: { lambdaArn: ROT, outcome: 'hang' }, rotationInProgress: true }
  ],
  clusters: [{ name: 'prod', services: [{ name: 'api' }, { name: 'old', status: 'DRAINING' }] }]
}

describe('bad input and bad resources are refused before any write', () => {
  it.each(CASES)(
    '%s',
    async (_, inputs, names) => {
      const { run, emu } = await runScenario(SCENARIO, inputs)
      expect(run.code).toBe(1)
      const [error] = errors(run)
      expect(error?.message).toContain(names)
      expect(emu.writes()).toEqual([])
      expect(emu.secrets.valueOf('prod/db', 'AWSCURRENT')).toBe('plain-text-value')
      expect(run.outputs.result).toBe('failed')
    },
    30_000
  )
})
