import type { ScenarioInput } from '../emulator/scenario.js'

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

const ROTATE_FN = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate'
const threeEach = (cluster: string, ms: number[]) => ({
  name: cluster,
  services: ms.map((deploymentMs, i) => ({ name: `svc${i + 1}`, deploymentMs }))
})

/** The end-to-end scenarios: the plain e2e tests assert them in detail, the fault matrix under faults. */
export const CASES = {
  'put, 2 clusters x 3 services': {
    scenario: {
      secrets: [{ name: 'prod/db', value: 'old-value-41', previousValue: 'older-value-40' }],
      clusters: [threeEach('prod', [1000, 1500, 2500]), threeEach('batch', [800, 1200, 2000])]
    },
    inputs: {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Br4nd-New-Value-42',
      services: 'prod/svc1\nprod/svc2\nprod/svc3\nbatch/svc1\nbatch/svc2\nbatch/svc3'
    },
    expected: { code: 0, result: 'succeeded', services: Array(6).fill('succeeded'), secretChanged: true, writes: true }
  },
  'rotate, 3 s rotation': {
    scenario: {
      secrets: [
        { name: 'prod/db', value: '{"username":"app_a","password":"pw-before"}', rotation: { lambdaArn: ROTATE_FN, durationMs: 3000 } }
      ],
      clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 1000 }] }]
    },
    inputs: { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api' },
    expected: { code: 0, result: 'succeeded', services: ['succeeded'], secretChanged: true, writes: true }
  },
  'rotation never finishes': {
    scenario: {
      secrets: [{ name: 'prod/db', value: 'pw-unchanged', rotation: { lambdaArn: ROTATE_FN, outcome: 'hang' } }],
      clusters: [{ name: 'prod', services: [{ name: 'api' }] }]
    },
    inputs: { mode: 'rotate', 'secret-id': 'prod/db', 'rotation-timeout': '4s', services: 'prod/api' },
    expected: { code: 1, result: 'failed', services: ['skipped'], secretChanged: false, writes: true }
  },
  'circuit breaker in 1 of 5': {
    scenario: {
      secrets: [{ name: 'prod/db', value: 'old-pass-1' }],
      clusters: [
        {
          name: 'prod',
          services: [
            { name: 'api', deploymentMs: 1000 },
            { name: 'front', deploymentMs: 3000 },
            { name: 'pdf', deploymentMs: 1500, outcome: 'circuit-breaker' },
            { name: 'admin', deploymentMs: 2000 },
            { name: 'worker', deploymentMs: 4000 }
          ]
        }
      ]
    },
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
    scenario: { secrets: [{ name: 'prod/db', value: 'keep-me-1' }], clusters: [{ name: 'prod', services: [{ name: 'api' }] }] },
    inputs: { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'never-written', services: 'prod/api\nprod/gone\nstaging/api' },
    expected: { code: 1, result: 'failed', services: ['skipped', 'skipped', 'skipped'], secretChanged: false, writes: false }
  },
  'no id-token permission': {
    scenario: { secrets: [{ name: 'prod/db', value: 'keep-me-2' }] },
    inputs: { mode: 'rotate', 'secret-id': 'prod/db' },
    runner: 'no-oidc',
    expected: { code: 1, result: 'failed', services: [], secretChanged: false, writes: false }
  }
} satisfies Record<string, E2eCase>

export type CaseName = keyof typeof CASES
