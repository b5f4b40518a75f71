import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runnerEnv, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import { actionRuns, type ActionStepRun } from '../../__fixtures__/workflow-steps.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

// Every example in examples/, its `with:` resolved as a runner resolves it (expressions, `if:`,
// matrix entries, action.yml defaults), run through the bundled action against the local endpoint.
// The world below holds what the examples name: their roles, secrets, clusters and services.

const TOKEN = 'ghs_emulatorJobToken0123456789'
const reads = (secret: string) => [{ name: 'SECRET', valueFrom: `/aws/reference/secretsmanager/${secret}` }]
const service = (name: string, taskDefinition: string) => ({ name, taskDefinition, deploymentMs: 300 })
const rotation = (account: string) => ({ lambdaArn: `arn:aws:lambda:eu-west-1:${account}:function:rotate`, durationMs: 300 })

const WORLD: ScenarioInput = {
  roles: [{ arn: 'arn:aws:iam::111111111111:role/secret-rollout' }, { arn: 'arn:aws:iam::222222222222:role/secret-rollout' }],
  secrets: [
    { name: 'prod/db', value: 'db-password-before-1', rotation: rotation('123456789012') },
    { name: 'prod/app-config', value: '{"api_token":"api-token-before-1","user":"config-user-7"}' },
    { name: 'shared/db', value: 'shared-password-before-1', account: '111111111111', rotation: rotation('111111111111') }
  ],
  taskDefinitions: [
    { family: 'db', revision: 1, containers: [{ name: 'app', secrets: reads('prod/db') }] },
    { family: 'config', revision: 1, containers: [{ name: 'app', secrets: reads('prod/app-config') }] },
    { family: 'plain', revision: 1 }
  ],
  clusters: [
    { name: 'prod', services: [service('api', 'db:1'), service('web', 'db:1'), service('front', 'config:1'), service('cron', 'plain:1')] },
    { name: 'batch', services: [service('pdf', 'db:1'), service('export', 'config:1')] },
    { name: 'payments', account: '111111111111', services: [service('api', 'plain:1'), service('worker', 'plain:1')] },
    { name: 'checkout', account: '111111111111', services: [service('web', 'plain:1')] },
    { name: 'payments', account: '111111111111', region: 'us-east-1', services: [service('api', 'plain:1'), service('worker', 'plain:1')] },
    { name: 'etl', account: '222222222222', services: [service('loader', 'plain:1'), service('scheduler', 'plain:1')] }
  ]
}

const runsOf = (file: string, inputs?: Record<string, string | boolean>) =>
  actionRuns(`examples/${file}`, 'acme/secret-rollout@', { inputs, github: { token: TOKEN } })

async function runStep(step: ActionStepRun) {
  const { run, emu } = await runScenario(WORLD, step.inputs, {
    env: (e) => ({ ...runnerEnv(e), GITHUB_API_URL: e.githubApiUrl })
  })
  const services = (JSON.parse(run.outputs.services || '[]') as { cluster: string; service: string; status: string }[]).map(
    (s) => `${s.cluster}/${s.service}: ${s.status}`
  )
  return { run, emu, services }
}

/** What each run of an example must end with: its result, and each service's status. */
interface Expected {
  result: string
  services: string[]
}

const succeeded = (...names: string[]) => names.map((n) => `${n}: succeeded`)
const discoveredDb = succeeded('prod/api', 'prod/web', 'batch/pdf')

const CASES: [string, Record<string, string | boolean> | undefined, Expected[]][] = [
  ['after-deploy.yml', undefined, [{ result: 'succeeded', services: succeeded('prod/api', 'prod/front', 'batch/export') }]],
  ['scheduled-rotation.yml', undefined, [{ result: 'succeeded', services: discoveredDb }]],
  [
    'fleet-matrix.yml',
    undefined,
    [
      { result: 'succeeded', services: [] },
      { result: 'succeeded', services: succeeded('payments/api', 'payments/worker', 'checkout/web') },
      { result: 'succeeded', services: succeeded('payments/api', 'payments/worker') },
      { result: 'succeeded', services: succeeded('etl/loader', 'etl/scheduler') }
    ]
  ],
  // manual.yml under each of its choices: every mode, services typed in or discovered, and a dry run.
  ...(['rotate', 'put', 'redeploy'] as const).flatMap((mode): [string, Record<string, string | boolean>, Expected[]][] => [
    [
      'manual.yml',
      { mode, services: 'prod/api batch/pdf', 'dry-run': false },
      [{ result: 'succeeded', services: succeeded('prod/api', 'batch/pdf') }]
    ],
    ['manual.yml', { mode, services: '', 'dry-run': false }, [{ result: 'succeeded', services: discoveredDb }]]
  ]),
  ['manual.yml', {}, [{ result: 'planned', services: ['prod/api: planned', 'prod/web: planned', 'batch/pdf: planned'] }]]
]

describe('every example workflow runs as written', () => {
  it.each(CASES)(
    '%s with inputs %j',
    async (file, inputs, expected) => {
      const steps = runsOf(file, inputs)
      expect(steps).toHaveLength(expected.length)
      for (const [index, step] of steps.entries()) {
        const { run, emu, services } = await runStep(step)
        expect({ step: step.label, errors: errors(run), result: run.outputs.result, services }).toEqual({
          step: step.label,
          errors: [],
          result: expected[index].result,
          services: expected[index].services
        })
        expect(run.code).toBe(0)
        // put and rotate made a new AWSCURRENT version, unless it was a dry run.
        expect(Boolean(run.outputs['version-id'])).toBe(step.inputs.mode !== 'redeploy' && step.inputs['dry-run'] !== 'true')
        expect(leaks(run, sensitiveValues(emu))).toEqual([])
      }
    },
    120_000
  )

  it('manual.yml runs exactly one of its two steps, whichever way services are chosen', () => {
    expect(runsOf('manual.yml', { services: 'prod/api' }).map((s) => s.inputs['discover-services'])).toEqual(['false'])
    expect(runsOf('manual.yml', { services: '' }).map((s) => s.inputs.clusters)).toEqual(['prod\nbatch\n'])
  })
})
