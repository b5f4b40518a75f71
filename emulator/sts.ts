import { createHmac } from 'node:crypto'
import { AwsError } from './aws-error.js'
import { randomHex, seededRandom } from './random.js'
import type { Scenario } from './scenario.js'

export interface IssuedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiresAt?: number
  /** When the endpoint stops accepting the session, if earlier than expiresAt. */
  revokedAt?: number
  /** The account the keys act in: ECS and Secrets Manager show them only that account's resources. */
  account: string
  /** The session's ARN (GetCallerIdentity), e.g. arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  arn: string
  /** A role session: a role assumed with it is role chaining (at most 1 hour). */
  roleSession: boolean
}

const accountOf = (roleArn: string) => roleArn.split(':')[4] ?? ''

const JWT_KEY = 'secret-rollout-emulator-oidc'
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

/**
 * The GitHub OIDC token endpoint and STS AssumeRoleWithWebIdentity: tokens it issues are the only
 * ones STS accepts, roles are those of the scenario, and sessions expire on the clock.
 */
export class StsModel {
  readonly audiences: string[] = []
  readonly issued: IssuedCredentials[] = []
  readonly tokens: string[] = []
  private readonly random: () => number

  constructor(
    private readonly scenario: Scenario,
    private readonly now: () => number = Date.now
  ) {
    this.random = seededRandom(scenario.seed * 31337)
    for (const c of scenario.staticCredentials) {
      const account = c.account ?? scenario.account
      this.issued.push({ ...c, account, arn: `arn:aws:iam::${account}:user/emulator`, roleSession: false })
    }
  }

  /** GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=...: what a runner answers, with a signed JWT. */
  issueIdToken(audience: string): string {
    this.audiences.push(audience)
    const iat = Math.floor(this.now() / 1000)
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const payload = base64url(
      JSON.stringify({
        ...this.scenario.oidc.claims,
        iss: 'https://token.actions.githubusercontent.com',
        aud: audience,
        sub: this.scenario.oidc.subject,
        iat,
        exp: iat + 300,
        jti: randomHex(this.random, 16)
      })
    )
    const signature = createHmac('sha256', JWT_KEY).update(`${header}.${payload}`).digest('base64url')
    const token = `${header}.${payload}.${signature}`
    this.tokens.push(token)
    return token
  }

  assumeRoleWithWebIdentity(params: URLSearchParams): string {
    const roleArn = params.get('RoleArn') ?? ''
    const sessionName = params.get('RoleSessionName') ?? ''
    const token = params.get('WebIdentityToken') ?? ''
    const [header, payload, signature] = token.split('.')
    if (!signature || createHmac('sha256', JWT_KEY).update(`${header}.${payload}`).digest('base64url') !== signature) {
      throw new AwsError('InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider", 400)
    }
    if (!this.scenario.oidc.providerRegistered) {
      throw new AwsError(
        'InvalidIdentityToken',
        'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
        400
      )
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { aud: string; exp: number; sub: string }
    if (claims.exp * 1000 < this.now()) throw new AwsError('ExpiredTokenException', 'Token expired', 400)
    const role = this.scenario.roles.find((r) => r.arn === roleArn)
    const trusted = (pattern: string) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(claims.sub)
    if (!role || role.audience !== claims.aud || (role.subjects && !role.subjects.some(trusted))) {
      throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403)
    }
    const duration = Number(params.get('DurationSeconds') ?? 3600)
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError('ValidationError', 'Invalid RoleSessionName', 400)
    if (duration > role.maxSessionSeconds) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400)
    }
    const credentials = this.issue(role, sessionName, duration)
    return `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${claims.sub}</SubjectFromWebIdentityToken>
    <Audience>${claims.aud}</Audience>
${this.sessionXml(credentials)}
    <Provider>token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>${randomHex(this.random, 8)}-${randomHex(this.random, 4)}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`
  }

  /**
   * sts:AssumeRole from a signed session: the role must trust the caller's account, and a
   * role session assuming another role is role chaining, which AWS caps at one hour.
   */
  assumeRole(params: URLSearchParams, caller: IssuedCredentials): string {
    const roleArn = params.get('RoleArn') ?? ''
    const sessionName = params.get('RoleSessionName') ?? ''
    const role = this.scenario.roles.find((r) => r.arn === roleArn)
    const trusted = role?.trustedAccounts ?? [this.scenario.account]
    if (!role || !trusted.includes(caller.account)) {
      throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403)
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError('ValidationError', 'Invalid RoleSessionName', 400)
    const duration = Number(params.get('DurationSeconds') ?? 3600)
    if (caller.roleSession && duration > 3600) {
      throw new AwsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
        400
      )
    }
    if (duration > role.maxSessionSeconds) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400)
    }
    const credentials = this.issue(role, sessionName, duration)
    return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
${this.sessionXml(credentials)}
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${randomHex(this.random, 8)}-${randomHex(this.random, 4)}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`
  }

  getCallerIdentity(caller: IssuedCredentials): string {
    return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${caller.arn}</Arn>
    <UserId>AROA${randomHex(this.random, 16).toUpperCase()}</UserId>
    <Account>${caller.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>${randomHex(this.random, 8)}-${randomHex(this.random, 4)}</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`
  }

  /** The keys a caller signed with (after authenticate). */
  caller(accessKeyId: string): IssuedCredentials {
    return this.issued.find((c) => c.accessKeyId === accessKeyId) as IssuedCredentials
  }

  private issue(role: Scenario['roles'][number], sessionName: string, duration: number): IssuedCredentials {
    const account = accountOf(role.arn)
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIA${randomHex(this.random, 16).toUpperCase()}`,
      secretAccessKey: randomHex(this.random, 40),
      sessionToken: `emulator-session-${randomHex(this.random, 48)}`,
      expiresAt: this.now() + (role.sessionSeconds ?? duration) * 1000,
      revokedAt: role.revokeAfterSeconds === undefined ? undefined : this.now() + role.revokeAfterSeconds * 1000,
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${role.arn.split('/').pop()}/${sessionName}`,
      roleSession: true
    }
    this.issued.push(credentials)
    return credentials
  }

  private sessionXml(c: IssuedCredentials): string {
    return `    <AssumedRoleUser>
      <Arn>${c.arn}</Arn>
      <AssumedRoleId>AROA${randomHex(this.random, 16).toUpperCase()}:${c.arn.split('/').pop()}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>
      <SessionToken>${c.sessionToken}</SessionToken>
      <Expiration>${new Date(c.expiresAt as number).toISOString()}</Expiration>
    </Credentials>`
  }

  /** Checks the access key a signed request names: known, and its session not expired. */
  authenticate(accessKeyId: string | undefined): void {
    const found = this.issued.find((c) => c.accessKeyId === accessKeyId)
    if (!found) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400)
    const end = Math.min(found.expiresAt ?? Number.POSITIVE_INFINITY, found.revokedAt ?? Number.POSITIVE_INFINITY)
    if (end <= this.now()) {
      throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400)
    }
  }
}

export function stsErrorXml(error: AwsError): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender'
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>emulator</RequestId></ErrorResponse>`
}

/** An STS operation (query protocol, XML answer). None writes; AssumeRoleWithWebIdentity is sent unsigned. */
export interface StsOperation {
  name: string
  write: false
  signed: boolean
  /** `caller`: the keys that signed the call (the router passes them for every signed operation). */
  handler: (sts: StsModel, params: URLSearchParams, caller?: IssuedCredentials) => string
}

export const STS_OPERATIONS: readonly StsOperation[] = [
  { name: 'AssumeRoleWithWebIdentity', write: false, signed: false, handler: (sts, params) => sts.assumeRoleWithWebIdentity(params) },
  { name: 'AssumeRole', write: false, signed: true, handler: (sts, params, caller) => sts.assumeRole(params, caller as IssuedCredentials) },
  {
    name: 'GetCallerIdentity',
    write: false,
    signed: true,
    handler: (sts, _params, caller) => sts.getCallerIdentity(caller as IssuedCredentials)
  }
]
