import { describe, expect, it } from '@jest/globals'
import { explainClaims, matchingCondition, subjectForms, tokenClaims } from '../../../src/aws/oidc-claims.js'

const jwt = (payload: object) =>
  [{ alg: 'RS256' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl'

const CLAIMS = {
  sub: 'repo:acme/infra:environment:production',
  aud: 'sts.amazonaws.com',
  repository: 'acme/infra',
  repository_id: '892748123',
  repository_owner_id: '1342004',
  ref: 'refs/heads/main',
  environment: 'production',
  job_workflow_ref: 'acme/infra/.github/workflows/rotate.yml@refs/heads/main',
  event_name: 'workflow_dispatch'
}

describe('tokenClaims', () => {
  it('reads the claims a trust policy tests from the payload, and nothing else', () => {
    expect(tokenClaims(jwt({ ...CLAIMS, iss: 'https://token.actions.githubusercontent.com', jti: 'x', actor: 'octocat' }))).toEqual(CLAIMS)
  })

  it('gives nothing for a token that is not a JWT, and strips control characters from values', () => {
    expect(tokenClaims('opaque')).toEqual({})
    expect(tokenClaims('a.!!!.c')).toEqual({})
    expect(tokenClaims(jwt({ sub: 'repo:a/b:ref:x\n::error::boom', aud: 7 }))).toEqual({ sub: 'repo:a/b:ref:x ::error::boom', aud: '7' })
  })
})

describe('subjectForms', () => {
  it('builds the old and the immutable sub from either form the token has', () => {
    const both = { old: 'repo:acme/infra:environment:production', immutable: 'repo:acme@1342004/infra@892748123:environment:production' }
    expect(subjectForms(CLAIMS)).toEqual(both)
    expect(subjectForms({ ...CLAIMS, sub: both.immutable })).toEqual(both)
  })

  it('needs the repository and both ids', () => {
    expect(subjectForms({ ...CLAIMS, repository_id: undefined })).toBeUndefined()
    expect(subjectForms({ ...CLAIMS, sub: 'project:x' })).toBeUndefined()
  })
})

describe('explainClaims', () => {
  it('lists the claims and the condition that matches them, never the token', () => {
    const token = jwt(CLAIMS)
    const text = explainClaims(token)
    expect(text).not.toContain(token.split('.')[1])
    expect(text).not.toContain('c2lnbmF0dXJl')
    expect(text).toBe(
      " The job's token has (claims only; the token is never printed): sub=repo:acme/infra:environment:production, aud=sts.amazonaws.com, " +
        'repository=acme/infra, repository_id=892748123, repository_owner_id=1342004, ref=refs/heads/main, environment=production, ' +
        'job_workflow_ref=acme/infra/.github/workflows/rotate.yml@refs/heads/main, event_name=workflow_dispatch. ' +
        'A trust-policy condition that matches this job, with sub in its old form (repo:owner/repo:...) and its immutable form ' +
        '(repo:owner@<owner id>/repo@<repo id>:..., for repositories created or renamed since 2026-07-15): "Condition": ' +
        JSON.stringify(matchingCondition(CLAIMS))
    )
    expect(matchingCondition(CLAIMS)).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:acme/infra:environment:production',
          'repo:acme@1342004/infra@892748123:environment:production'
        ],
        'token.actions.githubusercontent.com:repository_id': '892748123'
      }
    })
  })

  it('says nothing for a token without claims, and gives the one sub it has when the ids are missing', () => {
    expect(explainClaims('opaque')).toBe('')
    expect(explainClaims(jwt({ sub: 'repo:a/b:ref:refs/heads/main', aud: 'sts.amazonaws.com' }))).toBe(
      " The job's token has (claims only; the token is never printed): sub=repo:a/b:ref:refs/heads/main, aud=sts.amazonaws.com. " +
        'A trust-policy condition that matches this job: "Condition": ' +
        '{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:a/b:ref:refs/heads/main"}}'
    )
  })
})
