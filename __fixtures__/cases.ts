import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import type { ScenarioInput } from '../emulator/scenario.js'

/** A scenario is data: a YAML file in emulator/scenarios/. */
function scenarioFile(name: string): ScenarioInput {
  return parse(readFileSync(fileURLToPath(new URL(`../emulator/scenarios/${name}`, import.meta.url)), 'utf8')) as ScenarioInput
}

/** The outcome a case must reach, with or without injected faults. */
export interface Expected {
  code: 0 | 1
  result: 'succeeded' | 'failed'
  /** Each service's status, in input order. */
  services: string[]
  /** Whether AWSCURRENT ends on a new version. */
  secretChanged: boolean
  /** Whether any write may reach AWS. */
  writes: boolean
}

export interface E2eCase {
  scenario: ScenarioInput
  inputs: Record<string, string>
  /** no-oidc: the job lacks `permissions: id-token: write`. */
  runner?: 'no-oidc'
  expected: Expected
}

/** The end-to-end scenarios: the plain e2e tests assert them in detail, the fault matrix under faults. */
export const CASES = {
  'put, 2 clusters x 3 services': {
    scenario: scenarioFile('e2e-put-2-clusters-x-3-services.yaml'),
    inputs: {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Br4nd-New-Value-42',
      services: 'prod/svc1\nprod/svc2\nprod/svc3\nbatch/svc1\nbatch/svc2\nbatch/svc3'
    },
    expected: { code: 0, result: 'succeeded', services: Array(6).fill('succeeded'), secretChanged: true, writes: true }
  },
  'rotate, 3 s rotation': {
    scenario: scenarioFile('e2e-rotate-3-s-rotation.yaml'),
    inputs: { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' },
    expected: { code: 0, result: 'succeeded', services: ['succeeded'], secretChanged: true, writes: true }
  },
  'rotation never finishes': {
    scenario: scenarioFile('e2e-rotation-never-finishes.yaml'),
    inputs: { mode: 'rotate', 'secret-id': 'prod/db', 'rotation-timeout': '4s', services: 'prod/api' },
    expected: { code: 1, result: 'failed', services: ['skipped'], secretChanged: false, writes: true }
  },
  'circuit breaker in 1 of 5': {
    scenario: scenarioFile('e2e-circuit-breaker-in-1-of-5.yaml'),
    inputs: {
      mode: 'put',
      'secret-id': 'prod/db',
      'generate-password': 'true',
      services: 'prod/api\nprod/front\nprod/pdf\nprod/admin\nprod/worker'
    },
    expected: {
      code: 1,
      result: 'failed',
      services: ['succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded'],
      secretChanged: true,
      writes: true
    }
  },
  'preflight: missing service and cluster': {
    scenario: scenarioFile('e2e-preflight-missing-service-and-cluster.yaml'),
    inputs: { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'never-written', services: 'prod/api\nprod/gone\nstaging/api' },
    expected: { code: 1, result: 'failed', services: ['skipped', 'skipped', 'skipped'], secretChanged: false, writes: false }
  },
  'every deployment kind': {
    scenario: scenarioFile('e2e-every-deployment-kind.yaml'),
    inputs: {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Kinds-Of-Value-77',
      services: 'prod/api\nprod/legacy\nprod/bg\nprod/blue\nprod/canary\nprod/linear'
    },
    expected: { code: 0, result: 'succeeded', services: Array(6).fill('succeeded'), secretChanged: true, writes: true }
  },
  'CODE_DEPLOY without a deployment group, and EXTERNAL': {
    scenario: scenarioFile('e2e-codedeploy-and-external-refused.yaml'),
    inputs: { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'never-written-8', services: 'prod/api\nprod/bg\nprod/ext' },
    expected: { code: 1, result: 'failed', services: ['skipped', 'skipped', 'skipped'], secretChanged: false, writes: false }
  },
  'replica and another account': {
    scenario: scenarioFile('e2e-replica-and-other-account.yaml'),
    inputs: {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Replicated-New-Value-7',
      services: 'prod/api\narn:aws:ecs:eu-west-1:222222222222:service/prod/api\narn:aws:ecs:us-east-1:123456789012:service/prod-us/api',
      'cross-account-roles': 'arn:aws:iam::222222222222:role/rollout'
    },
    expected: { code: 0, result: 'succeeded', services: Array(3).fill('succeeded'), secretChanged: true, writes: true }
  },
  'no id-token permission': {
    scenario: scenarioFile('e2e-no-id-token-permission.yaml'),
    inputs: { mode: 'rotate', 'secret-id': 'prod/db' },
    runner: 'no-oidc',
    expected: { code: 1, result: 'failed', services: [], secretChanged: false, writes: false }
  }
} satisfies Record<string, E2eCase>

export type CaseName = keyof typeof CASES
