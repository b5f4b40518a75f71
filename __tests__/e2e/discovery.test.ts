import { describe, expect, it } from '@jest/globals'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import type { ScenarioInput } from '../../emulator/scenario.js'

const SECRET_ARN_PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db'

/**
 * A cluster of 120 services: five read prod/db through two task definitions (by ARN, and through
 * the SSM reference path), one through its log driver, one only through a pinned reference, and
 * one reads an SSM parameter that happens to be called prod/db (not a reader).
 */
function bigCluster(extra: Partial<ScenarioInput> = {}): ScenarioInput {
  const taskDefinitionOf = (i: number) =>
    i < 3 ? 'api:1' : i < 5 ? 'pdf:4' : i === 5 ? 'legacy:9' : i === 6 ? 'param:1' : i === 7 ? 'logs:3' : 'plain:2'
  return {
    secrets: [{ name: 'prod/db', value: '{"username":"app","password":"pw-discovery-old"}' }],
    clusters: [
      {
        name: 'prod',
        services: Array.from({ length: 120 }, (_, i) => ({ name: `svc-${i}`, deploymentMs: 800, taskDefinition: taskDefinitionOf(i) }))
      }
    ],
    taskDefinitions: [
      {
        family: 'api',
        revision: 1,
        containers: [{ name: 'api', secrets: [{ name: 'DB_PASSWORD', valueFrom: `${SECRET_ARN_PREFIX}:password::` }] }]
      },
      {
        family: 'pdf',
        revision: 4,
        containers: [{ name: 'pdf', secrets: [{ name: 'DB', valueFrom: '/aws/reference/secretsmanager/prod/db' }] }]
      },
      { family: 'param', revision: 1, containers: [{ name: 'param', secrets: [{ name: 'DB', valueFrom: 'prod/db' }] }] },
      {
        family: 'logs',
        revision: 3,
        containers: [{ name: 'logs', logSecrets: [{ name: 'splunk-token', valueFrom: `${SECRET_ARN_PREFIX}:password::` }] }]
      },
      {
        family: 'legacy',
        revision: 9,
        containers: [{ name: 'legacy', secrets: [{ name: 'DB', valueFrom: `${SECRET_ARN_PREFIX}::AWSPREVIOUS:` }] }]
      },
      { family: 'plain', revision: 2, containers: [{ name: 'plain', secrets: [{ name: 'OTHER', valueFrom: 'other/secret' }] }] }
    ],
    ...extra
  }
}

describe('discovery, plan and proof, end to end', () => {
  it('finds the services that read the secret among 120, redeploys them, proves their tasks and warns about a pinned one', async () => {
    const { run, emu } = await runScenario(bigCluster(), {
      mode: 'put',
      'secret-id': 'prod/db',
      'generate-password': 'true',
      'json-key': 'password',
      'discover-services': 'true',
      clusters: 'prod'
    })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(emu.count('ListServices')).toBe(2)
    expect(emu.count('DescribeTaskDefinition')).toBe(6)
    const services = JSON.parse(run.outputs.services) as { service: string; status: string }[]
    expect(services.map((s) => `${s.service}:${s.status}`)).toEqual(
      ['svc-0', 'svc-1', 'svc-2', 'svc-3', 'svc-4', 'svc-7'].map((s) => `${s}:succeeded`)
    )
    expect(emu.count('UpdateService')).toBe(6)
    const warnings = run.annotations.filter((a) => a.level === 'warning')
    expect(warnings).toEqual([
      {
        level: 'warning',
        title: 'prod/svc-5: container legacy',
        message: expect.stringContaining('pinned to AWSPREVIOUS: a redeploy keeps the old value')
      }
    ])
    expect(run.summary).toContain('120 services scanned, 6 task definitions read; 7 read the secret.')
    expect(run.summary).not.toMatch(/\| svc-6 \|/)
    expect(run.summary).toMatch(/\| prod \| \[svc-3\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/2 \|/)
    expect(leaks(run, sensitiveValues(emu))).toEqual([])
  }, 90_000)

  it('dry-run does every read, writes nothing, and puts the plan in the outputs', async () => {
    const { run, emu } = await runScenario(bigCluster(), {
      mode: 'rotate',
      'secret-id': 'prod/db',
      'discover-services': 'true',
      clusters: 'prod',
      // Listed and discovered: appears once, with the reason discovery found.
      services: 'prod/svc-0',
      'dry-run': 'true',
      'rotation-lambda-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:rot'
    })
    expect(run.code).toBe(0)
    expect(emu.writes()).toEqual([])
    expect(run.outputs.result).toBe('planned')
    const plan = JSON.parse(run.outputs.plan)
    expect(plan.secret).toMatchObject({ mode: 'rotate', currentVersionId: expect.any(String), newVersionId: expect.any(String) })
    expect(plan.services).toHaveLength(6)
    expect(plan.services[0]).toEqual({
      cluster: 'prod',
      service: 'svc-0',
      why: ['api.DB_PASSWORD <- arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db:password::'],
      how: 'rolling update (forced new deployment)'
    })
    expect(plan.services[3]).toEqual({
      cluster: 'prod',
      service: 'svc-3',
      why: ['pdf.DB <- /aws/reference/secretsmanager/prod/db'],
      how: 'rolling update (forced new deployment)'
    })
    expect(plan.services[5]).toEqual({
      cluster: 'prod',
      service: 'svc-7',
      why: [`logs.logConfiguration.splunk-token <- ${SECRET_ARN_PREFIX}:password::`],
      how: 'rolling update (forced new deployment)'
    })
    expect(JSON.parse(run.outputs.services)[3]).toMatchObject({ status: 'planned', reason: 'would be redeployed: it reads the secret' })
    expect(run.summary).toContain('would rotate')
  }, 60_000)

  it('fails a service whose running tasks do not prove the rollout (a task of the old deployment still runs)', async () => {
    const { run } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-proof' }],
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'api', deploymentMs: 800 },
              { name: 'old', deploymentMs: 800, straggler: true }
            ]
          }
        ]
      },
      { mode: 'put', 'secret-id': 'prod/db', 'generate-password': 'true', services: 'prod/api\nprod/old' }
    )
    expect(run.code).toBe(1)
    const services = JSON.parse(run.outputs.services) as { status: string; reason: string | null }[]
    expect(services.map((s) => s.status)).toEqual(['succeeded', 'failed'])
    expect(services[1].reason).toMatch(
      /^rolled out, but the running tasks do not prove it: 1 running tasks are not from deployment ecs-svc\//
    )
    expect(run.summary).toMatch(/\| prod \| \[old\]\([^)]+\) \| ❌ failed \| \d+s \| 2\/2 \| 2\/3 \|/)
  }, 60_000)

  it('with if-rotation-in-progress: wait, rolls out the version of the rotation already running', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [
          {
            name: 'prod/db',
            value: 'pw-running',
            rotationInProgress: true,
            // Still running when the action's pre-check reads the secret, even if starting node and
            // assuming the role take seconds on a loaded machine (3 s was seen to be too short).
            rotation: { lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rot', durationMs: 12_000 }
          }
        ],
        clusters: [{ name: 'prod', services: [{ name: 'api', deploymentMs: 800 }] }]
      },
      { mode: 'rotate', 'secret-id': 'prod/db', services: 'prod/api', 'if-rotation-in-progress': 'wait' }
    )
    expect(run.code).toBe(0)
    expect(emu.count('RotateSecret')).toBe(0)
    expect(emu.secrets.stagesOf('prod/db')[run.outputs['version-id']]).toEqual(['AWSCURRENT'])
    expect(run.stdout).toContain('A rotation is already in progress')
  }, 60_000)

  it('reads registry credentials named by the secret, and not an SSM parameter that shares its name', async () => {
    const { run } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: 'pw-registry' }],
        clusters: [
          {
            name: 'prod',
            services: [
              { name: 'private-image', deploymentMs: 800, taskDefinition: 'registry:1' },
              { name: 'ssm-reader', deploymentMs: 800, taskDefinition: 'param:1' }
            ]
          }
        ],
        taskDefinitions: [
          { family: 'registry', revision: 1, containers: [{ name: 'app', repositoryCredentials: 'prod/db' }] },
          { family: 'param', revision: 1, containers: [{ name: 'app', secrets: [{ name: 'DB', valueFrom: 'prod/db' }] }] }
        ]
      },
      { mode: 'redeploy', 'secret-id': 'prod/db', 'discover-services': 'true', clusters: 'prod' }
    )
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.services)).toEqual([expect.objectContaining({ service: 'private-image', status: 'succeeded' })])
    expect(run.summary).toContain('2 services scanned, 2 task definitions read; 1 read the secret.')
  }, 60_000)
})
