import { describe, expect, it } from '@jest/globals'
import { CASES, type CaseName } from '../../__fixtures__/cases.js'
import { errors, leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import type { ScenarioInput } from '../../emulator/scenario.js'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Each kind of ECS service, redeployed by the bundled action against the local endpoint: rolling
// (also behind a Classic Load Balancer), CodeDeploy blue/green, ECS blue/green, canary, linear.
const scenario = (name: string) =>
  parse(readFileSync(fileURLToPath(new URL(`../../emulator/scenarios/${name}`, import.meta.url)), 'utf8')) as ScenarioInput
const runCase = (name: CaseName) => runScenario(CASES[name].scenario, CASES[name].inputs)
type ServiceOutput = { service: string; status: string; deploymentId: string | null; redeployedBy: string | null; reason: string | null }
const servicesOf = (outputs: Record<string, string>) => JSON.parse(outputs.services) as ServiceOutput[]

describe('every kind of ECS service, end to end', () => {
  it('redeploys one service of each kind the way its controller and strategy do it, and says how', async () => {
    const { run, emu } = await runCase('every deployment kind')
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    const services = servicesOf(run.outputs)
    expect(services.map((s) => [s.service, s.status, s.redeployedBy])).toEqual([
      ['api', 'succeeded', 'rolling update (forced new deployment)'],
      ['legacy', 'succeeded', 'rolling update (forced new deployment)'],
      ['bg', 'succeeded', 'CodeDeploy blue/green (new deployment, same task definition)'],
      ['blue', 'succeeded', 'ECS blue/green (forced new deployment)'],
      ['canary', 'succeeded', 'ECS canary (forced new deployment)'],
      ['linear', 'succeeded', 'ECS linear (forced new deployment)']
    ])
    // The CodeDeploy service is followed by its deployment's id, and was never force-deployed.
    const bg = services[2]
    expect(bg.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/)
    expect(emu.codedeploy.deployments.map((d) => [d.id, d.status])).toEqual([[bg.deploymentId, 'Succeeded']])
    expect(emu.count('UpdateService')).toBe(5)
    // The AppSpec reused the service's task definition and load-balancer container and port.
    expect(JSON.parse(emu.codedeploy.deployments[0].appSpec)).toMatchObject({
      Resources: [
        {
          TargetService: {
            Properties: {
              TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1',
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 }
            }
          }
        }
      ]
    })
    // The native strategies were judged by their service-deployment records.
    expect(emu.count('DescribeServiceDeployments')).toBeGreaterThan(0)
    // Every service's running tasks were proven to carry the new value (verify-rollout's default).
    expect(run.summary).toMatch(/\| prod \| \[bg\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/2 \| {2}\| CodeDeploy blue\/green/)
    expect(leaks(run, sensitiveValues(emu, [CASES['every deployment kind'].inputs['secret-string']]))).toEqual([])
  }, 90_000)

  it('redeploys CODE_DEPLOY services of the same name in two accounts, each through its own account’s CodeDeploy', async () => {
    const bg = { name: 'bg', deploymentController: 'CODE_DEPLOY', loadBalancer: 'target-group' }
    const { run, emu } = await runScenario(
      {
        roles: [{ arn: 'arn:aws:iam::222222222222:role/rollout', trustedAccounts: ['123456789012'] }],
        secrets: [{ name: 'prod/db', value: 'old-pass-accounts' }],
        clusters: [
          { name: 'prod', services: [bg] },
          { name: 'prod', account: '222222222222', services: [bg] }
        ],
        codeDeployApplications: [
          { name: 'AppECS-main', deploymentGroups: [{ name: 'DgpECS-main', services: ['prod/bg'], durationMs: 1000 }] },
          {
            name: 'AppECS-other',
            account: '222222222222',
            deploymentGroups: [{ name: 'DgpECS-other', services: ['prod/bg'], durationMs: 1000 }]
          }
        ]
      } as ScenarioInput,
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'secret-string': 'Two-Accounts-12',
        services: 'prod/bg\narn:aws:ecs:eu-west-1:222222222222:service/prod/bg',
        'cross-account-roles': 'arn:aws:iam::222222222222:role/rollout'
      }
    )
    expect(errors(run)).toEqual([])
    expect(servicesOf(run.outputs).map((s) => s.status)).toEqual(['succeeded', 'succeeded'])
    // Each account's CodeDeploy saw only its own application: one deployment group each, no ambiguity.
    expect(emu.codedeploy.deployments.map((d) => [d.group.application, d.account, d.status])).toEqual([
      ['AppECS-main', '123456789012', 'Succeeded'],
      ['AppECS-other', '222222222222', 'Succeeded']
    ])
    expect(
      emu.calls
        .filter((c) => c.operation === 'CreateDeployment')
        .map((c) => c.account)
        .sort()
    ).toEqual(['123456789012', '222222222222'])
  }, 60_000)

  it('refuses a CODE_DEPLOY service no deployment group names, and an EXTERNAL one, before any write', async () => {
    const { run, emu } = await runCase('CODE_DEPLOY without a deployment group, and EXTERNAL')
    expect(run.code).toBe(1)
    expect(emu.writes()).toEqual([])
    expect(emu.secrets.valueOf('prod/db')).toBe('old-pass-8')
    expect(errors(run)).toEqual([
      {
        level: 'error',
        title: 'Service preflight',
        message: expect.stringContaining(
          'line 2 prod/bg (eu-west-1): cannot be redeployed by this action: its deployment controller is CODE_DEPLOY, and no CodeDeploy deployment group (compute platform ECS) in eu-west-1 names it'
        )
      }
    ])
    expect(errors(run)[0].message).toContain(
      'line 3 prod/ext (eu-west-1): cannot be redeployed by this action: its deployment controller is EXTERNAL'
    )
    expect(errors(run)[0].message).not.toContain('prod/api')
    expect(servicesOf(run.outputs).map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped'])
  }, 60_000)

  it('reports a CodeDeploy deployment that never finishes as timed-out, with its d-… id and the lifecycle event it is stuck in', async () => {
    const { run, emu } = await runScenario(scenario('e2e-codedeploy-never-finishes.yaml'), {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Never-Finishes-9',
      services: 'prod/api\nprod/bg',
      'deployment-timeout': '8s'
    })
    expect(run.code).toBe(1)
    const [api, bg] = servicesOf(run.outputs)
    expect(api.status).toBe('succeeded')
    expect(bg).toMatchObject({ status: 'timed-out', deploymentId: emu.codedeploy.deployments[0].id })
    expect(bg.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/)
    expect(bg.reason).toMatch(
      /^still in progress after 8s: CodeDeploy deployment d-\w+ InProgress; lifecycle event AfterAllowTestTraffic still InProgress since /
    )
    expect(run.outputs['failed-services']).toBe('prod/bg')
  }, 60_000)

  it('in the rollback round, a CodeDeploy service whose first deployment timed out is not given that deployment as its new one', async () => {
    const { run, emu } = await runScenario(scenario('e2e-codedeploy-never-finishes.yaml'), {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Never-Finishes-Rollback',
      services: 'prod/api\nprod/bg',
      'deployment-timeout': '6s',
      'rollback-on-failure': 'true'
    })
    expect(run.code).toBe(1)
    const first = emu.codedeploy.deployments[0].id
    // The rollback round made its own CreateDeployment; CodeDeploy refused it, the first one being still active.
    expect(emu.count('CreateDeployment')).toBe(2)
    expect(emu.codedeploy.deployments).toHaveLength(1)
    expect(emu.secrets.valueOf('prod/db')).toBe('old-pass-9')
    expect(run.summary).toContain('### Rollback')
    const rollbackRow = run.summary
      .slice(run.summary.indexOf('### Rollback'))
      .split('\n')
      .find((line) =>
        line.startsWith(
          '| prod | [bg](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/bg/deployments?region=eu-west-1) |'
        )
      )
    expect(rollbackRow).toContain('DeploymentLimitExceededException')
    expect(rollbackRow).toContain(first)
    expect(rollbackRow).not.toMatch(/succeeded|timed out/)
  }, 60_000)

  it('fails a canary an alarm rolled back, a blue/green the circuit breaker rolled back and a failed CodeDeploy deployment, in AWS’s words; a paused linear times out saying where', async () => {
    const { run } = await runScenario(scenario('e2e-native-strategy-failures.yaml'), {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Failing-Kinds-10',
      services: 'prod/canary\nprod/blue\nprod/linear\nprod/bg',
      'deployment-timeout': '10s'
    })
    expect(run.code).toBe(1)
    const [canary, blue, linear, bg] = servicesOf(run.outputs)
    expect(canary).toMatchObject({ status: 'failed' })
    expect(canary.reason).toMatch(
      /^service deployment ROLLBACK_(IN_PROGRESS|SUCCESSFUL): CloudWatch alarm\(s\) canary-5xx in ALARM state\.; rollback: CloudWatch alarm triggered a rollback\.; alarms in ALARM: canary-5xx/
    )
    expect(blue.status).toBe('failed')
    expect(blue.reason).toMatch(
      /^service deployment ROLLBACK_\w+: ECS deployment circuit breaker: tasks failed to start\.; rollback: Circuit breaker triggered a rollback\.; circuit breaker: 3 failed tasks of a threshold of 3/
    )
    expect(blue.reason).toContain('stopped task: ResourceInitializationError')
    expect(linear).toMatchObject({ status: 'timed-out' })
    expect(linear.reason).toMatch(
      /^still in progress after 10s: paused at a pause hook in POST_TEST_TRAFFIC_SHIFT \(awaiting ContinueServiceDeployment\)/
    )
    expect(bg).toMatchObject({ status: 'failed' })
    expect(bg.reason).toMatch(
      /^CodeDeploy deployment d-\w+ Failed: ECS_UPDATE_ERROR: The AfterAllowTestTraffic hook returned Failed: smoke test got HTTP 503\.; lifecycle event AfterAllowTestTraffic Failed$/
    )
  }, 60_000)

  it('with wait-until traffic-shifted, ends the wait when production traffic has shifted and says the bake time goes on; by default waits for it', async () => {
    const inputs = {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Bake-Time-11',
      services: 'prod/blue',
      'deployment-timeout': '12s'
    }
    const shifted = await runScenario(scenario('e2e-long-bake-time.yaml'), { ...inputs, 'wait-until': 'traffic-shifted' })
    expect(shifted.run.code).toBe(0)
    expect(servicesOf(shifted.run.outputs)[0]).toMatchObject({
      status: 'succeeded',
      reason:
        'production traffic shifted; ECS is still in BAKE_TIME; 2 tasks of the previous revision still run (bake time: they get no production traffic)',
      redeployedBy: 'ECS blue/green (forced new deployment, waited for until traffic shifted)'
    })
    expect(shifted.run.summary).toMatch(
      /\| prod \| \[blue\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/4 \| production traffic shifted/
    )
    const completed = await runScenario(scenario('e2e-long-bake-time.yaml'), inputs)
    expect(completed.run.code).toBe(1)
    expect(servicesOf(completed.run.outputs)[0]).toMatchObject({ status: 'timed-out', reason: expect.stringContaining('BAKE_TIME') })
  }, 90_000)

  it('follows a blue/green deployment through deployments[] when the service-deployment record is not permitted, warning once', async () => {
    const { run } = await runScenario(
      { ...scenario('e2e-long-bake-time.yaml'), faults: [{ operation: 'DescribeServiceDeployments', kind: 'denied', every: 1 }] },
      { mode: 'put', 'secret-id': 'prod/db', 'secret-string': 'Denied-Record-12', services: 'prod/blue', 'deployment-timeout': '8s' }
    )
    const warnings = run.annotations.filter((a) => a.level === 'warning')
    expect(warnings).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^prod\/blue: ecs:DescribeServiceDeployments failed \(AccessDeniedException: .*\); following it through deployments\[\] instead: its lifecycle stage, bake time/
        )
      }
    ])
    // Without the record, the bake time shows only as a rollout still IN_PROGRESS.
    expect(servicesOf(run.outputs)[0]).toMatchObject({ status: 'timed-out', reason: expect.stringContaining('rollout IN_PROGRESS') })
  }, 60_000)

  it('agrees with ECS: the proof waits for the old tasks ECS removes after an early success and reports those left, a service at zero has nothing to replace, and someone else’s rollout is named', async () => {
    const { run } = await runScenario(scenario('e2e-proof-agrees-with-ecs.yaml'), {
      mode: 'put',
      'secret-id': 'prod/db',
      'secret-string': 'Proof-Agrees-13',
      services: 'prod/early\nprod/lingering\nprod/idle\nprod/busy',
      'deployment-timeout': '15s'
    })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    const [early, lingering, idle, busy] = servicesOf(run.outputs)
    // early's old tasks stop 4 s after its deployment completed: within the wait, so nothing is left.
    expect(early).toMatchObject({ status: 'succeeded', reason: null })
    expect(lingering).toMatchObject({
      status: 'succeeded',
      reason: expect.stringMatching(
        /^after waiting 1\ds: 2 tasks of the previous revision still run \(early success criteria: ECS removes them after the deployment \(DEFERRED\)\)$/
      )
    })
    expect(idle).toMatchObject({ status: 'succeeded', reason: 'no tasks to replace (desiredCount 0)' })
    expect(busy).toMatchObject({ status: 'succeeded', reason: null })
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^prod\/busy: deployment ecs-svc\/\d+ \(rollout IN_PROGRESS\) is still in progress; the new deployment replaces it, so this run also completes that rollout$/
        )
      }
    ])
    expect(run.summary).toMatch(/\| prod \| \[early\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/2 \|/)
    expect(run.summary).toMatch(/\| prod \| \[lingering\]\([^)]+\) \| ✅ succeeded \| \d+s \| 2\/2 \| 2\/4 \|/)
  }, 60_000)
})
