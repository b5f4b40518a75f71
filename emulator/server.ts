import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { AwsError } from './aws-error.js'
import { CodeDeployModel } from './codedeploy.js'
import { ECS_OPERATIONS, EcsModel } from './ecs/index.js'
import { FAULT_ERRORS, FaultInjector, type Fault } from './faults.js'
import { GITHUB_PREFIX, GithubModel } from './github.js'
import { writeOperations, type AwsModel } from './operations.js'
import { parseScenario, type Scenario, type ScenarioInput } from './scenario.js'
import { SecretsManagerModel } from './secrets-manager.js'
import { parseAuthorization, verifySignature } from './sigv4.js'
import { STS_OPERATIONS, StsModel, stsErrorXml } from './sts.js'

export interface CallRecord {
  service: 'secretsmanager' | 'ecs' | 'codedeploy' | 'sts' | 'oidc' | 'github'
  operation: string
  at: number
  durationMs: number
  /** `ok`, the AWS error code answered, or the injected fault. */
  outcome: string
  fault?: Fault['kind']
  region?: string
  /** The account of the keys that signed the call. */
  account?: string
}

/** The operations that write, as `service:operation`, from each model's own table. */
export const WRITE_OPERATIONS: readonly string[] = [
  ...writeOperations([{ operations: SecretsManagerModel.OPERATIONS }]).map((o) => `secretsmanager:${o}`),
  ...writeOperations([{ operations: ECS_OPERATIONS }]).map((o) => `ecs:${o}`),
  ...writeOperations([{ operations: CodeDeployModel.OPERATIONS }]).map((o) => `codedeploy:${o}`),
  ...writeOperations([{ operations: STS_OPERATIONS }]).map((o) => `sts:${o}`)
]

export interface Emulator {
  url: string
  /** For ACTIONS_ID_TOKEN_REQUEST_URL: the runner's token endpoint; `&audience=` is appended by the client. */
  oidcUrl: string
  scenario: Scenario
  secrets: SecretsManagerModel
  ecs: EcsModel
  codedeploy: CodeDeployModel
  sts: StsModel
  /** The local GitHub API: GITHUB_API_URL is `githubApiUrl`, the job token `scenario.github.token`. */
  github: GithubModel
  githubApiUrl: string
  calls: CallRecord[]
  /** The most requests of each service the endpoint was handling at the same moment. */
  maxInFlight: Record<string, number>
  /** Calls of one operation, or all calls that wrote. */
  count(operation: string): number
  writes(): CallRecord[]
  close(): Promise<void>
}

const JSON_TARGETS: Record<string, CallRecord['service']> = {
  secretsmanager: 'secretsmanager',
  AmazonEC2ContainerServiceV20141113: 'ecs',
  CodeDeploy_20141006: 'codedeploy'
}

/** Starts the local AWS endpoint on 127.0.0.1 (port 0 = any free port). */
export async function startEmulator(
  input: ScenarioInput | Scenario,
  options: { port?: number; now?: () => number } = {}
): Promise<Emulator> {
  const scenario = parseScenario(input)
  const now = options.now ?? Date.now
  const secrets = new SecretsManagerModel(scenario, now)
  const ecs = new EcsModel(scenario, now)
  const codedeploy = new CodeDeployModel(scenario, ecs, now)
  const sts = new StsModel(scenario, now)
  let url = ''
  const github = new GithubModel(scenario.github, () => url)
  const faults = new FaultInjector(scenario.faults, scenario.throttling, scenario.seed, now)
  const calls: CallRecord[] = []
  const inFlight: Record<string, number> = {}
  const maxInFlight: Record<string, number> = {}

  const models: Record<'secretsmanager' | 'ecs' | 'codedeploy', AwsModel> = { secretsmanager: secrets, ecs, codedeploy }

  const server: Server = createServer((req, res) => {
    const started = now()
    readBody(req)
      .then(async (body) => {
        const route = routeOf(req, body)
        const record: CallRecord = { service: route.service, operation: route.operation, at: started, durationMs: 0, outcome: 'ok' }
        calls.push(record)
        inFlight[route.service] = (inFlight[route.service] ?? 0) + 1
        maxInFlight[route.service] = Math.max(maxInFlight[route.service] ?? 0, inFlight[route.service])
        let finished = false
        const finish = (outcome: string) => {
          record.outcome = outcome
          record.durationMs = now() - started
          if (!finished) inFlight[route.service]--
          finished = true
        }
        try {
          if (route.service === 'github') {
            // A slow GitHub API: only latency applies (the issue calls come after the report is written).
            for (const fault of faults.decide('github', route.operation)) if (fault.kind === 'latency') await delay(fault.ms)
            const answer = github.handle(req, body)
            finish(answer.status < 400 ? 'ok' : String(answer.status))
            for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value)
            return send(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body))
          }
          if (route.service === 'oidc') {
            if (req.headers.authorization !== `Bearer ${OIDC_REQUEST_TOKEN}`) throw new AwsError('Unauthorized', 'bad runner token', 401)
            const audience = new URL(req.url ?? '/', 'http://x').searchParams.get('audience') ?? ''
            finish('ok')
            return send(res, 200, 'application/json', JSON.stringify({ value: sts.issueIdToken(audience) }))
          }
          // The region the request was signed for: AWS keeps token buckets per account and region.
          record.region = signedRegion(req)
          let dropAfter = false
          let hangAfter = false
          for (const fault of faults.decide(route.service, route.operation, record.region)) {
            record.fault = fault.kind
            if (fault.kind === 'latency') await delay(fault.ms)
            else if (fault.kind === 'drop-after') dropAfter = true
            else if (fault.kind === 'hang-after') hangAfter = true
            else if (fault.kind === 'drop') {
              finish('dropped')
              req.socket.destroy()
              return
            } else throw FAULT_ERRORS[fault.kind](route.service, route.operation)
          }
          const dropAnswer = () => {
            if (hangAfter) return finish('handled, no answer')
            finish('handled, answer dropped')
            req.socket.destroy()
          }
          const stsOperation = route.service === 'sts' ? STS_OPERATIONS.find((o) => o.name === route.operation) : undefined
          if (stsOperation && !stsOperation.signed) {
            const xml = stsOperation.handler(sts, new URLSearchParams(body.toString()))
            if (dropAfter) return dropAnswer()
            finish('ok')
            return send(res, 200, 'text/xml', xml)
          }
          const signer = parseAuthorization(req.headers)
          record.region = signer.region
          sts.authenticate(signer.accessKeyId)
          const caller = sts.caller(signer.accessKeyId)
          record.account = caller.account
          verifySignature(req.method ?? 'POST', req.url ?? '/', req.headers, body, caller.secretAccessKey)
          if (route.service === 'sts') {
            if (!stsOperation) throw new AwsError('InvalidAction', `${route.operation} is not supported`, 400)
            const xml = stsOperation.handler(sts, new URLSearchParams(body.toString()), caller)
            if (dropAfter) return dropAnswer()
            finish('ok')
            return send(res, 200, 'text/xml', xml)
          }
          const payload = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {}
          const model = models[route.service as keyof typeof models]
          // Time moves here, once per call, so no read can answer from a state older than now.
          model.advance(now())
          const result = model.handle(route.operation, payload, { region: signer.region, account: caller.account })
          if (dropAfter || hangAfter) return dropAnswer()
          finish('ok')
          return send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(result ?? {}))
        } catch (error) {
          const aws = error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500)
          finish(aws.code)
          if (route.service === 'sts') return send(res, aws.status, 'text/xml', stsErrorXml(aws))
          res.setHeader('x-amzn-ErrorType', aws.code)
          return send(res, aws.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: aws.code, message: aws.message }))
        }
      })
      .catch(() => res.destroy())
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  url = `http://127.0.0.1:${port}`
  return {
    url,
    oidcUrl: `${url}/oidc/token?api-version=2.0`,
    scenario,
    secrets,
    ecs,
    codedeploy,
    sts,
    github,
    githubApiUrl: `${url}${GITHUB_PREFIX}`,
    calls,
    maxInFlight,
    count: (operation) => calls.filter((c) => c.operation === operation).length,
    writes: () => calls.filter((c) => WRITE_OPERATIONS.includes(`${c.service}:${c.operation}`)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The bearer token a runner hands the job in ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
export const OIDC_REQUEST_TOKEN = 'emulator-runner-request-token'

function routeOf(req: IncomingMessage, body: Buffer): { service: CallRecord['service']; operation: string } {
  if (req.method === 'GET' && (req.url ?? '').startsWith('/oidc/token')) return { service: 'oidc', operation: 'GetIDToken' }
  if ((req.url ?? '').startsWith(`${GITHUB_PREFIX}/`))
    return { service: 'github', operation: `${req.method} ${(req.url ?? '').split('?')[0]}` }
  const target = String(req.headers['x-amz-target'] ?? '')
  if (target) {
    const [prefix, operation] = target.split('.')
    return { service: JSON_TARGETS[prefix] ?? 'ecs', operation: operation ?? target }
  }
  // The query protocol: STS puts the operation in the form body.
  return { service: 'sts', operation: new URLSearchParams(body.toString()).get('Action') ?? 'Unknown' }
}

function signedRegion(req: IncomingMessage): string | undefined {
  try {
    return parseAuthorization(req.headers).region
  } catch {
    return undefined
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'emulator' })
  res.end(body)
}
