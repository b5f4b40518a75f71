import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { DescribeServicesCommand, ListAccountSettingsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager'
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import type { ApiBudget } from '../../../src/aws/api-budget.js'
import { createClients, type AwsClients } from '../../../src/aws/clients.js'
import type { RefreshableCredentials } from '../../../src/aws/oidc-credentials.js'

// The middleware createClients adds (in-flight cap, credential refresh, retry strategy, API
// budget) runs inside the SDK's send(): aws-sdk-client-mock replaces send() and skips it. Here
// real SDK clients talk to a local HTTP server that answers the JSON protocols of ECS and
// Secrets Manager, so every request goes through the whole middleware stack and the signer.

interface Request {
  service: 'ecs' | 'secretsmanager' | 'codedeploy'
  operation: string
  /** The access key the request was signed with. */
  accessKeyId: string
}
type Answer = { status: number; body: Record<string, unknown> }
/** How the server answers the nth request (1-based) of each operation; ok by default. */
let answer: (request: Request, n: number) => Promise<Answer> | Answer
const requests: Request[] = []
const inFlight = { now: 0, max: 0 }
let server: Server
let url: string
let clients: AwsClients[] = []

const ok = (body: Record<string, unknown> = {}): Answer => ({ status: 200, body })
const error = (type: string, status = 400): Answer => ({ status, body: { __type: type, message: `${type} (test server)` } })
const SERVICES: Record<string, Request['service']> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  secretsmanager: 'secretsmanager',
  CodeDeploy_20141006: 'codedeploy'
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const [prefix, operation] = String(req.headers['x-amz-target'] ?? '').split('.')
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? ''
      const request: Request = { service: SERVICES[prefix], operation, accessKeyId }
      requests.push(request)
      const n = requests.filter((r) => r.operation === operation).length
      inFlight.now++
      inFlight.max = Math.max(inFlight.max, inFlight.now)
      Promise.resolve(answer(request, n)).then(({ status, body }) => {
        inFlight.now--
        const headers: OutgoingHttpHeaders = { 'content-type': 'application/x-amz-json-1.1' }
        if (status >= 400) headers['x-amzn-errortype'] = String(body.__type)
        res.writeHead(status, headers)
        res.end(JSON.stringify(body))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.AWS_ENDPOINT_URL = url
})

afterEach(() => {
  for (const set of clients)
    for (const region of ['eu-west-1', 'us-east-1']) {
      set.secretsManager(region).destroy()
      set.ecs({ region }).destroy()
      set.ecsWriter({ region }).destroy()
    }
  clients = []
  requests.length = 0
  inFlight.max = 0
})

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const STATIC = async () => ({ accessKeyId: 'AKIDSTATIC', secretAccessKey: 'secret' })
function clientsWith(...args: Parameters<typeof createClients>): AwsClients {
  const made = createClients(...args)
  clients.push(made)
  return made
}
const eu = { region: 'eu-west-1' }
const us = { region: 'us-east-1' }
const describeServices = new DescribeServicesCommand({ cluster: 'prod', services: ['api'] })

describe('the ECS in-flight cap', () => {
  it('keeps at most maxEcsInFlight ECS requests on the wire, across regions and readers and writers', async () => {
    answer = async () => (await delay(60), ok({ services: [], failures: [] }))
    const aws = clientsWith(STATIC, 2)
    await Promise.all([
      ...[eu, us, eu, us].map((place) => aws.ecs(place).send(describeServices)),
      aws.ecsWriter(eu).send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true })),
      aws.ecsWriter(us).send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    ])
    expect(requests).toHaveLength(6)
    expect(inFlight.max).toBe(2)
  })

  it('does not cap Secrets Manager', async () => {
    answer = async () => (await delay(60), ok({ ARN: 'arn', Name: 'prod/db' }))
    const aws = clientsWith(STATIC, 1)
    await Promise.all([1, 2, 3, 4].map(() => aws.secretsManager('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'prod/db' }))))
    expect(inFlight.max).toBe(4)
  })
})

describe('the retry strategy', () => {
  it('sends a throttled or 5xx ECS call again until it goes through', async () => {
    answer = ({ operation }, n) =>
      operation === 'DescribeServices' && n <= 2
        ? n === 1
          ? error('ThrottlingException')
          : error('ServiceUnavailableException', 503)
        : ok({ services: [] })
    const aws = clientsWith(STATIC)
    await expect(aws.ecs(eu).send(describeServices)).resolves.toMatchObject({ services: [] })
    expect(requests.map((r) => r.operation)).toEqual(['DescribeServices', 'DescribeServices', 'DescribeServices'])
  }, 20_000)

  it('sends a throttled ECS write again through the adaptive writer', async () => {
    answer = (_, n) => (n === 1 ? error('ThrottlingException') : ok({ service: { serviceName: 'api' } }))
    const aws = clientsWith(STATIC)
    await aws.ecsWriter(eu).send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true }))
    expect(requests).toHaveLength(2)
  }, 20_000)

  it('sends a throttled Secrets Manager call again, but fails a LimitExceededException at once', async () => {
    const aws = clientsWith(STATIC)
    answer = (_, n) => (n === 1 ? error('ThrottlingException') : ok({ ARN: 'arn', Name: 'prod/db' }))
    await aws.secretsManager('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'prod/db' }))
    expect(requests).toHaveLength(2)
    requests.length = 0
    answer = () => error('LimitExceededException')
    await expect(aws.secretsManager('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'prod/db' }))).rejects.toMatchObject({
      name: 'LimitExceededException'
    })
    expect(requests).toHaveLength(1)
  }, 20_000)

  it('never sends an AccessDenied call again', async () => {
    answer = () => error('AccessDeniedException')
    const aws = clientsWith(STATIC)
    await expect(aws.ecs(eu).send(describeServices)).rejects.toMatchObject({ name: 'AccessDeniedException' })
    await expect(aws.secretsManager('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'prod/db' }))).rejects.toMatchObject({
      name: 'AccessDeniedException'
    })
    expect(requests).toHaveLength(2)
  })
})

describe('credential refresh on ExpiredTokenException', () => {
  /** A provider whose session n signs with AKIDSESSION<n>; invalidate() moves to the next one. */
  function sessions(): RefreshableCredentials & { invalidated: number } {
    let session = 1
    const provider = Object.assign(
      async () => ({ accessKeyId: `AKIDSESSION${session}`, secretAccessKey: 'secret', sessionToken: `token${session}` }),
      {
        invalidate: () => {
          session++
          provider.invalidated++
        },
        memoized: true as const,
        invalidated: 0
      }
    )
    return provider
  }

  it.each([
    ['ECS', (aws: AwsClients) => aws.ecs(eu).send(describeServices)],
    ['the ECS writer', (aws: AwsClients) => aws.ecsWriter(eu).send(new UpdateServiceCommand({ cluster: 'prod', service: 'api' }))],
    ['Secrets Manager', (aws: AwsClients) => aws.secretsManager('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'prod/db' }))]
  ])('%s: forgets the session and sends the call once more, signed with the new one', async (_, call) => {
    answer = (_, n) => (n === 1 ? error('ExpiredTokenException') : ok())
    const credentials = sessions()
    await call(clientsWith(credentials))
    expect(requests.map((r) => r.accessKeyId)).toEqual(['AKIDSESSION1', 'AKIDSESSION2'])
    expect(credentials.invalidated).toBe(1)
  })

  it('gives up when the new session has expired too', async () => {
    answer = () => error('ExpiredTokenException')
    const credentials = sessions()
    await expect(clientsWith(credentials).ecs(eu).send(describeServices)).rejects.toMatchObject({ name: 'ExpiredTokenException' })
    expect(requests.map((r) => r.accessKeyId)).toEqual(['AKIDSESSION1', 'AKIDSESSION2'])
  })

  it('uses the credentials of the other account for its places, and refreshes those', async () => {
    answer = (_, n) => (n === 1 ? error('ExpiredTokenException') : ok())
    const other = sessions()
    const aws = clientsWith(STATIC, 10, (account) => (account === '222222222222' ? other : undefined))
    await aws.ecs({ region: 'eu-west-1', account: '222222222222' }).send(describeServices)
    expect(requests.map((r) => r.accessKeyId)).toEqual(['AKIDSESSION1', 'AKIDSESSION2'])
    aws.ecs({ region: 'eu-west-1', account: '222222222222' }).destroy()
  })

  it('does not retry an expired static key: there is no session to renew', async () => {
    answer = () => error('ExpiredTokenException')
    await expect(clientsWith(STATIC).ecs(eu).send(describeServices)).rejects.toMatchObject({ name: 'ExpiredTokenException' })
    expect(requests).toHaveLength(1)
  })
})

describe('the API budget', () => {
  function budget(gate?: Promise<void>) {
    const take = jest.fn(async () => gate)
    const throttled = jest.fn()
    return { take, throttled, budget: { take, throttled } as unknown as ApiBudget }
  }

  it('takes a token for each attempt and tells the budget when AWS throttled one', async () => {
    answer = (_, n) => (n === 1 ? error('ThrottlingException') : ok({ services: [] }))
    const { take, throttled, budget: b } = budget()
    await clientsWith(STATIC, 10, undefined, b).ecs(eu).send(describeServices)
    expect(requests).toHaveLength(2)
    expect(take.mock.calls).toEqual([
      [eu, 'service-reads'],
      [eu, 'service-reads']
    ])
    expect(throttled.mock.calls).toEqual([[eu, 'service-reads']])
  }, 20_000)

  it('leaves calls of no known bucket alone, and holds no in-flight slot while a call waits for a token', async () => {
    answer = () => ok({ settings: [], services: [] })
    let open!: () => void
    const { take, budget: b } = budget(new Promise<void>((resolve) => (open = resolve)))
    const aws = clientsWith(STATIC, 1, undefined, b)
    const waiting = aws.ecs(eu).send(describeServices)
    // With the only slot held by the call waiting for its token, this one would never be sent.
    const other = await Promise.race([aws.ecs(eu).send(new ListAccountSettingsCommand({})), delay(3000, 'stuck', { ref: false })])
    expect(other).toMatchObject({ settings: [] })
    expect(requests.map((r) => r.operation)).toEqual(['ListAccountSettings'])
    open()
    await waiting
    expect(take).toHaveBeenCalledTimes(1)
    expect(requests.map((r) => r.operation)).toEqual(['ListAccountSettings', 'DescribeServices'])
  })
})
