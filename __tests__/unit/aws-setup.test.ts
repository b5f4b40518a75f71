import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { loadTemplate, resolve, undefinedNames } from '../../__fixtures__/cloudformation.js'

// examples/aws/secret-rollout-role.yaml is the AWS set-up; the README shows what it deploys for
// the README's own example (acme/infra, environment production, prod/db, clusters prod and batch).

const template = loadTemplate()
const readme = readFileSync('README.md', 'utf8')
const PLACE = { partition: 'aws', region: 'eu-west-1', account: '123456789012' }
const README_PARAMETERS = {
  RepositoryOwner: 'acme',
  RepositoryName: 'infra',
  RepositoryOwnerId: '1342004',
  RepositoryId: '892748123',
  Environment: 'production',
  SecretName: 'prod/db',
  ClusterArns: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod,arn:aws:ecs:eu-west-1:123456789012:cluster/batch',
  KmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  CodeDeployServices: 'true',
  RollbackOnFailure: 'true'
}

type Statement = {
  Sid?: string
  Action: string | string[]
  Resource: string
  Condition?: Record<string, Record<string, string | string[]>>
}
type Role = { AssumeRolePolicyDocument: { Statement: Statement[] }; Policies: { PolicyDocument: { Statement: Statement[] } }[] }
const roleFor = (parameters: Record<string, string>) => resolve(template, parameters, PLACE, template.Resources.Role.Properties) as Role
const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat()).sort()

/** The JSON block that follows `marker` in the README. */
function readmeJson(marker: string): { Statement: Statement[] } {
  const at = readme.indexOf(marker)
  expect(at).toBeGreaterThan(-1)
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at))
  return JSON.parse(block?.[1] ?? '{}') as { Statement: Statement[] }
}

describe('examples/aws/secret-rollout-role.yaml', () => {
  it('is a template CloudFormation accepts: known shape, and every Ref, Sub, If and Condition defined', () => {
    expect(undefinedNames(template)).toEqual([])
    expect(Object.keys(template.Resources).sort()).toEqual(['GitHubOidcProvider', 'Role'])
  })

  it('the shape check refuses a typo and an undefined reference', () => {
    const text = readFileSync('examples/aws/secret-rollout-role.yaml', 'utf8')
    const tmp = join(mkdtempSync(join(tmpdir(), 'cfn-')), 'template.yaml')
    const load = (changed: string) => (writeFileSync(tmp, changed), loadTemplate(tmp))
    expect(() => load(text.replace('Properties:', 'Propertie:'))).toThrow()
    expect(undefinedNames(load(text.replace('!Ref RepositoryId', '!Ref RepoId')))).toEqual(['Ref RepoId'])
    expect(
      undefinedNames(load(text.replace('- CreateProvider\n                - !Ref', '- CreateProvidr\n                - !Ref')))
    ).toEqual(['If CreateProvidr'])
  })

  it('creates the OIDC provider only when asked, and the role trusts whichever exists', () => {
    expect(template.Resources.GitHubOidcProvider.Condition).toBe('CreateProvider')
    for (const CreateOidcProvider of ['true', 'false']) {
      const trust = roleFor({ ...README_PARAMETERS, CreateOidcProvider }).AssumeRolePolicyDocument.Statement[0] as unknown as {
        Principal: { Federated: string }
      }
      expect(trust.Principal.Federated).toBe('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com')
    }
  })

  it('pins the role to the repository (both sub forms and repository_id) and one environment, as the README shows', () => {
    const trust = roleFor(README_PARAMETERS).AssumeRolePolicyDocument
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:acme/infra:environment:production',
          'repo:acme@1342004/infra@892748123:environment:production'
        ],
        'token.actions.githubusercontent.com:repository_id': '892748123'
      }
    })
    expect(readmeJson('**Trust policy.**')).toEqual(trust)
  })

  it("grants what the README's IAM permissions section lists, statement by statement", () => {
    expect(readmeJson('## IAM permissions')).toEqual(roleFor(README_PARAMETERS).Policies[0].PolicyDocument)
  })

  it('adds KMS, rollback and CodeDeploy statements only when their parameter asks', () => {
    const minimal = roleFor({ ...README_PARAMETERS, KmsKeyArn: '', CodeDeployServices: 'false', RollbackOnFailure: 'false' })
    const sids = minimal.Policies[0].PolicyDocument.Statement.map((s) => s.Sid)
    expect(sids).toEqual([
      'ChangeTheSecret',
      'GeneratePasswords',
      'RedeployTheServices',
      'DiscoverServices',
      'ReadTaskDefinitions',
      'FollowServiceDeployments',
      'ExplainFailedTasks'
    ])
    const kms = roleFor(README_PARAMETERS).Policies[0].PolicyDocument.Statement.find((s) => s.Sid === 'UseTheSecretsKey')
    expect(kms).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: README_PARAMETERS.KmsKeyArn })
  })

  it('grants every AWS operation the action calls, except the credential exchange itself', () => {
    const called = new Set<string>()
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    const SERVICE: Record<string, string> = { ecs: 'ecs', codedeploy: 'codedeploy', 'secrets-manager': 'secretsmanager', sts: 'sts' }
    for (const file of walk('src').filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8')
      for (const [, names, client] of text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-([a-z-]+)'/g)) {
        for (const m of names.matchAll(/\b(?:paginate(\w+)|(\w+)Command)\b/g)) called.add(`${SERVICE[client]}:${m[1] ?? m[2]}`)
      }
    }
    const granted = new Set(actions(roleFor(README_PARAMETERS).Policies[0].PolicyDocument.Statement))
    // STS: AssumeRoleWithWebIdentity is the trust policy's; AssumeRole (cross-account-roles) and GetCallerIdentity need no grant here.
    const needed = [...called].filter((a) => !a.startsWith('sts:')).sort()
    expect(needed.length).toBeGreaterThan(15)
    expect(needed.filter((a) => !granted.has(a))).toEqual([])
  })
})

describe('README Quick start', () => {
  const start = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5))
  const job = (parse(/```yaml\n([\s\S]*?)```/.exec(start)?.[1] ?? '') as { jobs: Record<string, Record<string, unknown>> }).jobs
  const [first] = Object.values(job)
  const step = (first.steps as { uses?: string; with: Record<string, string> }[]).find((s) => s.uses?.startsWith('acme/secret-rollout@'))

  it('names the environment the trust policy pins, so the copied pair is not refused', () => {
    expect(first.environment).toBe('production')
    expect(JSON.stringify(readmeJson('**Trust policy.**'))).toContain(`:environment:${String(first.environment)}"`)
  })

  it("lists only services in clusters the README's policy covers, and the secret it covers", () => {
    const policy = readmeJson('## IAM permissions').Statement
    const clusters = policy.find((s) => s.Sid === 'RedeployTheServices')?.Condition?.ArnEquals['ecs:cluster'] as string[]
    const services = (step?.with.services ?? '').split(/\s+/).filter((l) => l && !l.startsWith('#'))
    expect(services.length).toBeGreaterThan(0)
    expect(
      services.map((s) => `arn:aws:ecs:eu-west-1:123456789012:cluster/${s.split('/')[0]}`).filter((c) => !clusters.includes(c))
    ).toEqual([])
    expect(policy.find((s) => s.Sid === 'ChangeTheSecret')?.Resource).toBe(
      `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${step?.with['secret-id']}-??????`
    )
  })
})
