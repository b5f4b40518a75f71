import { describe, expect, it } from '@jest/globals'
import { secretResult, SECRET_ARN } from '../../../__fixtures__/report.js'
import { cancelledMessage, type CancelledRun } from '../../../src/run/cancelled.js'
import type { SecretPlan } from '../../../src/secret/prepare.js'

const plan = (fields: Partial<SecretPlan> = {}): SecretPlan => ({
  mode: 'put',
  arn: SECRET_ARN,
  name: 'prod/db',
  region: 'eu-west-1',
  token: 'v2',
  previousVersionId: 'v1',
  baseVersionId: 'v1',
  alreadyCreated: false,
  ...fields
})
const cancelled = (fields: Partial<CancelledRun>) => cancelledMessage({ stage: 'Secret change', writes: [], rollingOut: 0, ...fields })

describe('cancelledMessage', () => {
  it('says nothing had been written only when no write was sent', () => {
    expect(cancelled({ stage: 'Secret pre-check' })).toBe('The run was cancelled during "Secret pre-check". Nothing had been written.')
  })

  it('names the version a put made AWSCURRENT once PutSecretValue answered', () => {
    expect(cancelled({ plan: plan(), writes: [{ call: 'PutSecretValue', target: 'prod/db', state: 'done' }] })).toBe(
      'The run was cancelled during "Secret change". Version v2 of prod/db was written, and PutSecretValue made it AWSCURRENT (v1 is AWSPREVIOUS).'
    )
  })

  it('says a put in flight may have been written, never that nothing was', () => {
    const message = cancelled({ plan: plan(), writes: [{ call: 'PutSecretValue', target: 'prod/db', state: 'unanswered' }] })
    expect(message).toBe(
      'The run was cancelled during "Secret change". PutSecretValue of version v2 of prod/db was sent, but the run was cancelled ' +
        'before AWS answered: it may have been written and be AWSCURRENT. Check which version is AWSCURRENT; a re-run of this run ' +
        'finds that version and does not write it again.'
    )
  })

  it('names the AWSPENDING version of a rotation that was started', () => {
    expect(cancelled({ plan: plan({ mode: 'rotate' }), writes: [{ call: 'RotateSecret', target: 'prod/db', state: 'done' }] })).toBe(
      'The run was cancelled during "Secret change". The rotation of prod/db is under way: version v2 is AWSPENDING and the rotation ' +
        'function may still make it AWSCURRENT (AWSCURRENT was v1).'
    )
  })

  it('says AWSCURRENT was moved back when the rollback answered, not that the new version is current', () => {
    const message = cancelled({
      stage: 'Rollback',
      plan: plan(),
      secret: secretResult(),
      writes: [
        { call: 'PutSecretValue', target: 'prod/db', state: 'done' },
        { call: 'UpdateService', target: 'prod/api', state: 'done' },
        { call: 'UpdateSecretVersionStage', target: 'prod/db', state: 'done' }
      ]
    })
    expect(message).toBe(
      'The run was cancelled during "Rollback". Version v2 of prod/db was made AWSCURRENT; then AWSCURRENT was moved back to v1, ' +
        'which is AWSCURRENT now. ' +
        '1 deployments were started, 0 of them still rolling out; ECS carries on with them.'
    )
  })

  it('counts the deployments started and those whose redeploy call was not answered (mode redeploy)', () => {
    const message = cancelled({
      stage: 'Redeploy',
      mode: 'redeploy',
      rollingOut: 2,
      writes: [
        { call: 'UpdateService', target: 'prod/api', state: 'done' },
        { call: 'UpdateService', target: 'prod/web', state: 'done' },
        { call: 'CreateDeployment', target: 'prod/cd', state: 'unanswered' },
        { call: 'UpdateService', target: 'prod/bad', state: 'failed' }
      ]
    })
    expect(message).toBe(
      'The run was cancelled during "Redeploy". 2 deployments were started, 2 of them still rolling out; ECS carries on with them. ' +
        '1 more redeploy calls were sent but not answered: those services may have a new deployment too.'
    )
  })

  it('on a re-run that converged, names the version an earlier attempt wrote and says this run wrote nothing', () => {
    expect(cancelled({ stage: 'Service preflight', plan: plan({ alreadyCreated: true, writtenByAttempt: 1 }) })).toBe(
      'The run was cancelled during "Service preflight". Version v2 of prod/db, written by attempt 1 of this run, is AWSCURRENT. This run wrote nothing.'
    )
  })

  it('counts a write still being sent when the report is made as not answered', () => {
    expect(cancelled({ plan: plan(), writes: [{ call: 'PutSecretValue', target: 'prod/db', state: 'sending' }] })).toContain(
      'PutSecretValue of version v2 of prod/db was sent, but the run was cancelled before AWS answered'
    )
    expect(cancelled({ stage: 'Redeploy', writes: [{ call: 'UpdateService', target: 'prod/api', state: 'sending' }] })).toBe(
      'The run was cancelled during "Redeploy". 1 more redeploy calls were sent but not answered: those services may have a new deployment too.'
    )
  })

  it('counts each service once, however many calls its redeploy took (throttled, then sent again)', () => {
    const message = cancelled({
      stage: 'Redeploy',
      writes: [
        { call: 'UpdateService', target: 'prod/api', state: 'failed' },
        { call: 'UpdateService', target: 'prod/api', state: 'done' },
        { call: 'UpdateService', target: 'prod/web', state: 'unanswered' },
        { call: 'UpdateService', target: 'prod/web', state: 'unanswered' }
      ]
    })
    expect(message).toContain('1 deployments were started')
    expect(message).toContain('1 more redeploy calls were sent but not answered')
  })

  it('says a RotateSecret sent and not answered may have started a rotation', () => {
    expect(
      cancelled({
        plan: plan({ mode: 'rotate', baseVersionId: undefined }),
        writes: [{ call: 'RotateSecret', target: 'prod/db', state: 'unanswered' }]
      })
    ).toBe(
      'The run was cancelled during "Secret change". RotateSecret for prod/db was sent, but the run was cancelled before AWS answered: ' +
        'a rotation to version v2 may have started (AWSCURRENT was the previous version). Check for an AWSPENDING version.'
    )
  })

  it('on a re-run waiting for the rotation an earlier attempt started, says it is under way', () => {
    expect(cancelled({ plan: plan({ mode: 'rotate', alreadyCreated: true, writtenByAttempt: 1 }) })).toBe(
      'The run was cancelled during "Secret change". The rotation of prod/db is under way: version v2 is AWSPENDING and the rotation ' +
        'function may still make it AWSCURRENT (AWSCURRENT was v1). This run wrote nothing.'
    )
  })

  it('says a move back that was sent and not answered is to be checked', () => {
    const message = cancelled({
      stage: 'Rollback',
      plan: plan(),
      secret: secretResult(),
      writes: [
        { call: 'PutSecretValue', target: 'prod/db', state: 'done' },
        { call: 'UpdateSecretVersionStage', target: 'prod/db', state: 'unanswered' }
      ]
    })
    expect(message).toBe(
      'The run was cancelled during "Rollback". Version v2 of prod/db is AWSCURRENT. UpdateSecretVersionStage (moving AWSCURRENT back ' +
        'to v1) was sent, but not answered: check which version is AWSCURRENT.'
    )
  })

  it('takes a rollback that succeeded as moved back even before its write record is read', () => {
    const message = cancelled({
      stage: 'Rollback',
      plan: plan(),
      secret: secretResult(),
      rollback: { status: 'succeeded', versionId: 'v1', fromVersionId: 'v2' },
      writes: [{ call: 'PutSecretValue', target: 'prod/db', state: 'done' }]
    })
    expect(message).toContain('was made AWSCURRENT; then AWSCURRENT was moved back to v1, which is AWSCURRENT now.')
  })
})
