import { parse as parseYaml } from 'yaml'
import { AwsError } from './aws-error.js'
import type { EcsModel } from './ecs/index.js'
import { dispatch, type AwsModel, type Call, type Input, type Operation } from './operations.js'
import { randomUuid, seededRandom } from './random.js'
import type { DeploymentGroupSpec, Scenario } from './scenario.js'

type Status = 'Created' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped'

/** The lifecycle events of an ECS blue/green deployment, in order. */
const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
]

interface Group {
  id: string
  application: string
  region: string
  account: string
  spec: DeploymentGroupSpec
}

/** Where a call is answered: CodeDeploy's applications and deployments belong to one account and region. */
type Place = Call

const at = (x: Place, place: Place) => x.region === place.region && x.account === place.account

interface CodeDeployment {
  id: string
  group: Group
  region: string
  account: string
  cluster: string
  service: string
  createdAt: number
  appSpec: string
  description?: string
  status: Status
  completedAt?: number
  error?: { code: string; message: string }
  /** Why the AppSpec cannot be deployed, found at CreateDeployment: the deployment fails at once. */
  appSpecProblem?: string
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000)
const PAGE = 100

const notFound = (code: string, message: string) => new AwsError(code, message)

/**
 * CodeDeploy as ECS blue/green deployments use it: applications of compute platform ECS, deployment
 * groups naming the ECS services they deploy, deployments created from an AppSpec that run through
 * the lifecycle events over time and end Succeeded, Failed or Stopped (or never, for `hang`).
 * A Succeeded deployment replaces the service's task set in the ECS model.
 */
export class CodeDeployModel implements AwsModel {
  readonly groups: Group[] = []
  readonly deployments: CodeDeployment[] = []
  private readonly random: () => number

  constructor(
    private readonly scenario: Scenario,
    private readonly ecs: EcsModel,
    readonly now: () => number = Date.now
  ) {
    this.random = seededRandom(scenario.seed * 7919)
    for (const app of scenario.codeDeployApplications) {
      for (const spec of app.deploymentGroups) {
        const place = { region: app.region ?? scenario.region, account: app.account ?? scenario.account }
        this.groups.push({ id: randomUuid(this.random), application: app.name, ...place, spec })
      }
    }
  }

  /** Brings every deployment to `now`: the router calls it once before each CodeDeploy call. */
  advance(now: number = this.now()): void {
    for (const d of this.deployments) this.advanceDeployment(d, now)
  }

  handle(operation: string, input: Input, call: Call): unknown {
    return dispatch<CodeDeployModel>(this, this.operations, operation, input, call)
  }

  static readonly OPERATIONS: readonly Operation<CodeDeployModel>[] = [
    {
      name: 'ListApplications',
      write: false,
      handler: (m, input, place) => m.page(m.applications(place), input.nextToken, 'applications')
    },
    {
      name: 'ListDeploymentGroups',
      write: false,
      handler: (m, input, place) => {
        const application = m.application(input.applicationName, place)
        const names = m.groups.filter((g) => at(g, place) && g.application === application).map((g) => g.spec.name)
        return { applicationName: application, ...m.page(names, input.nextToken, 'deploymentGroups') }
      }
    },
    { name: 'BatchGetDeploymentGroups', write: false, handler: (m, input, place) => m.batchGetDeploymentGroups(input, place) },
    {
      name: 'GetDeploymentGroup',
      write: false,
      handler: (m, input, place) => ({
        deploymentGroupInfo: m.renderGroup(m.group(input.applicationName, input.deploymentGroupName, place))
      })
    },
    { name: 'CreateDeployment', write: true, handler: (m, input, place) => m.createDeployment(input, place) },
    {
      name: 'GetDeployment',
      write: false,
      handler: (m, input, place) => ({ deploymentInfo: m.renderDeployment(m.deployment(input.deploymentId, place)) })
    },
    {
      name: 'BatchGetDeployments',
      write: false,
      handler: (m, input, place) => {
        const ids = (input.deploymentIds as string[] | undefined) ?? []
        if (ids.length > 25)
          throw new AwsError(
            'BatchLimitExceededException',
            'The maximum number of names or IDs allowed for this request (25) was exceeded.'
          )
        const found = m.deployments.filter((d) => at(d, place) && ids.includes(d.id))
        return { deploymentsInfo: found.map((d) => m.renderDeployment(d)) }
      }
    },
    {
      name: 'ListDeploymentTargets',
      write: false,
      handler: (m, input, place) => {
        const d = m.deployment(input.deploymentId, place)
        return { targetIds: [`${d.cluster}:${d.service}`] }
      }
    },
    {
      name: 'BatchGetDeploymentTargets',
      write: false,
      handler: (m, input, place) => {
        const d = m.deployment(input.deploymentId, place)
        const ids = (input.targetIds as string[] | undefined) ?? []
        return { deploymentTargets: ids.filter((t) => t === `${d.cluster}:${d.service}`).map(() => m.renderTarget(d)) }
      }
    },
    {
      name: 'StopDeployment',
      write: true,
      handler: (m, input, place) => {
        const d = m.deployment(input.deploymentId, place)
        if (d.status !== 'InProgress' && d.status !== 'Created') {
          throw new AwsError('DeploymentAlreadyCompletedException', `The deployment ${d.id} has already completed.`)
        }
        Object.assign(d, {
          status: 'Stopped',
          completedAt: m.now(),
          error: { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' }
        })
        return { status: 'Succeeded', statusMessage: 'Deployment stopped.' }
      }
    }
  ]

  readonly operations = CodeDeployModel.OPERATIONS

  private applications(place: Place): string[] {
    return [...new Set(this.groups.filter((g) => at(g, place)).map((g) => g.application))].concat(
      this.scenario.codeDeployApplications
        .filter((a) => at({ region: a.region ?? this.scenario.region, account: a.account ?? this.scenario.account }, place))
        .filter((a) => a.deploymentGroups.length === 0)
        .map((a) => a.name)
    )
  }

  private page(items: string[], token: unknown, key: string) {
    const start = token ? Number(Buffer.from(String(token), 'base64').toString()) : 0
    const next = start + PAGE < items.length ? Buffer.from(String(start + PAGE)).toString('base64') : undefined
    return { [key]: items.slice(start, start + PAGE), nextToken: next }
  }

  private application(name: unknown, place: Place): string {
    const app = String(name ?? '')
    if (!this.applications(place).includes(app)) throw notFound('ApplicationDoesNotExistException', `No application found for name: ${app}`)
    return app
  }

  private group(application: unknown, name: unknown, place: Place): Group {
    const app = this.application(application, place)
    const group = this.groups.find((g) => at(g, place) && g.application === app && g.spec.name === String(name ?? ''))
    if (!group) throw notFound('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${String(name)}`)
    return group
  }

  private batchGetDeploymentGroups(input: Record<string, unknown>, place: Place) {
    const app = this.application(input.applicationName, place)
    const names = (input.deploymentGroupNames as string[] | undefined) ?? []
    if (names.length > 100)
      throw new AwsError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.')
    const found = this.groups.filter((g) => at(g, place) && g.application === app && names.includes(g.spec.name))
    const missing = names.filter((n) => !found.some((g) => g.spec.name === n))
    return {
      deploymentGroupsInfo: found.map((g) => this.renderGroup(g)),
      errorMessage: missing.length ? `Deployment groups not found: ${missing.join(', ')}` : undefined
    }
  }

  private renderGroup(group: Group) {
    const account = group.account
    return {
      applicationName: group.application,
      deploymentGroupId: group.id,
      deploymentGroupName: group.spec.name,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      serviceRoleArn: `arn:aws:iam::${account}:role/codedeploy-ecs`,
      computePlatform: 'ECS',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 }
      },
      ecsServices: group.spec.services.map((s) => {
        const [clusterName, serviceName] = s.split('/')
        return { clusterName, serviceName }
      }),
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] }
    }
  }

  private createDeployment(input: Record<string, unknown>, place: Place) {
    const group = this.group(input.applicationName, input.deploymentGroupName, place)
    const revision = input.revision as { revisionType?: string; appSpecContent?: { content?: string } } | undefined
    if (!revision) throw new AwsError('RevisionRequiredException', 'The revision ID was not specified.')
    if (revision.revisionType !== 'AppSpecContent' || !revision.appSpecContent?.content) {
      throw new AwsError('InvalidRevisionException', 'The revision was specified in an invalid format.')
    }
    const active = this.deployments.find((d) => d.group === group && (d.status === 'InProgress' || d.status === 'Created'))
    if (active) {
      throw new AwsError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${group.spec.name}' already has an active Deployment '${active.id}'`
      )
    }
    const [first] = group.spec.services
    if (!first) throw new AwsError('InvalidDeploymentGroupNameException', 'The deployment group has no ECS service.')
    const [cluster, service] = first.split('/')
    const d: CodeDeployment = {
      id: `d-${Array.from({ length: 9 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(this.random() * 36)]).join('')}`,
      group,
      ...place,
      cluster,
      service,
      createdAt: this.now(),
      appSpec: revision.appSpecContent.content,
      description: input.description === undefined ? undefined : String(input.description),
      status: 'InProgress'
    }
    d.appSpecProblem = this.checkAppSpec(d)
    this.deployments.push(d)
    return { deploymentId: d.id }
  }

  /** What CodeDeploy would fail the deployment for: the AppSpec must name the service's task definition, container and port. */
  private checkAppSpec(d: CodeDeployment): string | undefined {
    let spec: unknown
    try {
      spec = parseYaml(d.appSpec)
    } catch {
      return 'The AppSpec file cannot be parsed.'
    }
    const resource = (spec as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>[] })?.Resources?.[0]
    const target = resource ? Object.values(resource)[0] : undefined
    if (target?.Type !== 'AWS::ECS::Service') return 'The AppSpec file must name one resource of type AWS::ECS::Service.'
    const props = target.Properties ?? {}
    const lb = props.LoadBalancerInfo as { ContainerName?: string; ContainerPort?: number } | undefined
    const current = this.ecs.codeDeployTarget(d, d.cluster, d.service)
    if (!current) return `The ECS service ${d.cluster}/${d.service} does not exist.`
    if (props.TaskDefinition !== current.taskDefinition) {
      return `The task definition ${String(props.TaskDefinition)} in the AppSpec file is not registered.`
    }
    if (lb?.ContainerName !== current.container.name || Number(lb?.ContainerPort) !== current.container.port) {
      return `The container ${String(lb?.ContainerName)}:${String(lb?.ContainerPort)} in the AppSpec file is not in the service's load balancer configuration.`
    }
    return undefined
  }

  /** Brings a deployment to where it is by `now`; a Succeeded one replaces the service's task set. */
  private advanceDeployment(d: CodeDeployment, now: number): void {
    if (d.status !== 'InProgress') return
    const spec = d.group.spec
    if (d.appSpecProblem) {
      Object.assign(d, { status: 'Failed', completedAt: d.createdAt, error: { code: 'INVALID_REVISION', message: d.appSpecProblem } })
      return
    }
    const endsAt = d.createdAt + (spec.outcome === 'stop' ? spec.durationMs / 2 : spec.durationMs)
    if (spec.outcome === 'hang' || now < endsAt) return
    if (spec.outcome === 'succeed') {
      Object.assign(d, { status: 'Succeeded', completedAt: endsAt })
      this.ecs.replaceTaskSet(d, d.cluster, d.service, endsAt)
    } else if (spec.outcome === 'fail') {
      Object.assign(d, { status: 'Failed', completedAt: endsAt, error: { code: spec.errorCode, message: spec.errorMessage } })
    } else {
      Object.assign(d, {
        status: 'Stopped',
        completedAt: endsAt,
        error: { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' }
      })
    }
  }

  private deployment(id: unknown, place: Place): CodeDeployment {
    const d = this.deployments.find((x) => x.id === String(id ?? '') && at(x, place))
    if (!d) throw notFound('DeploymentDoesNotExistException', `The deployment ${String(id)} could not be found.`)
    return d
  }

  private renderDeployment(d: CodeDeployment) {
    const done = d.status !== 'InProgress'
    return {
      applicationName: d.group.application,
      deploymentGroupName: d.group.spec.name,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      deploymentId: d.id,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: d.appSpec } },
      status: d.status,
      errorInformation: d.error,
      createTime: seconds(d.createdAt),
      startTime: seconds(d.createdAt),
      completeTime: seconds(d.completedAt),
      deploymentOverview: {
        Pending: 0,
        InProgress: done ? 0 : 1,
        Succeeded: d.status === 'Succeeded' ? 1 : 0,
        Failed: d.status === 'Failed' ? 1 : 0,
        Skipped: 0,
        Ready: 0
      },
      description: d.description,
      creator: 'user',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      computePlatform: 'ECS'
    }
  }

  /** The ECS target's lifecycle events: evenly spread over the deployment; a failing one stops the rest. */
  private renderTarget(d: CodeDeployment) {
    const spec = d.group.spec
    const now = this.now()
    const step = Math.max(1, spec.durationMs) / LIFECYCLE_EVENTS.length
    const failing = spec.outcome === 'fail' ? LIFECYCLE_EVENTS.indexOf(spec.failedLifecycleEvent) : -1
    const hangAt = spec.outcome === 'hang' ? LIFECYCLE_EVENTS.indexOf('AfterAllowTestTraffic') : -1
    const lifecycleEvents = LIFECYCLE_EVENTS.map((name, i) => {
      const start = d.createdAt + i * step
      const end = start + step
      let status = now >= end ? 'Succeeded' : now >= start ? 'InProgress' : 'Pending'
      let diagnostics
      if (d.appSpecProblem) status = i === 0 ? 'Failed' : 'Skipped'
      else if (hangAt >= 0 && i >= hangAt) status = i === hangAt && now >= start ? 'InProgress' : 'Pending'
      else if (d.status === 'Stopped' && start >= (d.completedAt ?? 0)) status = 'Skipped'
      else if (failing >= 0 && i === failing && now >= end) {
        status = 'Failed'
        diagnostics = { errorCode: 'ScriptFailed', scriptName: '', message: spec.errorMessage, logTail: '' }
      } else if (failing >= 0 && i > failing && d.status === 'Failed') status = 'Skipped'
      return {
        lifecycleEventName: name,
        startTime: status === 'Pending' || status === 'Skipped' ? undefined : seconds(start),
        endTime: status === 'Succeeded' || status === 'Failed' ? seconds(end) : undefined,
        status,
        diagnostics
      }
    })
    return {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: d.id,
        targetId: `${d.cluster}:${d.service}`,
        targetArn: `arn:aws:ecs:${d.region}:${d.account}:service/${d.cluster}/${d.service}`,
        lastUpdatedAt: seconds(d.completedAt ?? now),
        lifecycleEvents,
        status:
          d.status === 'InProgress' ? 'InProgress' : d.status === 'Succeeded' ? 'Succeeded' : d.status === 'Stopped' ? 'Skipped' : 'Failed'
      }
    }
  }
}
