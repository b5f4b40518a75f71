import { describe, expect, it } from '@jest/globals'
import { refs } from '../../../__fixtures__/ecs.js'
import { settingsFrom } from '../../../__fixtures__/settings.js'
import { discoveredBy, reportOf, stoppedBecause, type RunState } from '../../../src/run/state.js'
import { WriteGate } from '../../../src/run/writes.js'
import type { SecretPlan } from '../../../src/secret/prepare.js'
import { InputError } from '../../../src/settings/index.js'
import { Stage } from '../../../src/stages.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
const plan: SecretPlan = {
  mode: 'put',
  arn: ARN,
  name: 'prod/db',
  region: 'eu-west-1',
  token: 'v2',
  previousVersionId: 'v1',
  alreadyCreated: false
}
const state = (fields: Partial<RunState> = {}): RunState => ({ stage: Stage.SecretChange, writes: new WriteGate(), ...fields })
/** A gate that has sent `call` and is still waiting for its answer. */
function sending(call: string): WriteGate {
  const gate = new WriteGate()
  void gate.send(call, 'prod/db', () => new Promise(() => undefined))
  return gate
}

describe('stoppedBecause', () => {
  it('titles an error with the stage it stopped, and keeps an AWS error its name', () => {
    const aws = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: {} })
    expect(stoppedBecause(Stage.Preflight, aws)).toEqual({
      title: 'Service preflight',
      message: 'AccessDeniedException: User is not authorized',
      name: 'AccessDeniedException'
    })
    expect(stoppedBecause(Stage.Discovery, new Error('no services found'))).toEqual({
      title: 'Service discovery',
      message: 'no services found',
      name: 'Error'
    })
    expect(stoppedBecause(Stage.Wait, 'a string')).toEqual({ title: 'Wait for deployments', message: 'a string', name: undefined })
  })

  it('titles an input problem as one, whatever stage found it', () => {
    expect(stoppedBecause(Stage.Credentials, new InputError(['`role-to-assume` is not a role ARN']))).toEqual({
      title: 'Invalid input',
      message: 'Invalid input: `role-to-assume` is not a role ARN',
      name: 'InputError'
    })
  })
})

describe('reportOf', () => {
  it('reports an empty run with no services, no secret and no plan', () => {
    expect(reportOf(state(), false)).toMatchObject({ waited: false, services: [], secret: undefined, plan: undefined, api: undefined })
  })

  it('names the settings, and reports the plan only for a dry run that got through', () => {
    const { settings } = settingsFrom({ mode: 'put', 'aws-region': 'eu-west-1', 'secret-id': 'prod/db', 'secret-string': 'x' })
    expect(reportOf(state({ settings, plan }), false)).toMatchObject({ mode: 'put', secretId: 'prod/db', plan: undefined })
    expect(reportOf(state({ settings, plan, planned: true }), false).plan).toEqual({ secret: plan })
  })

  it('tells, for a run cancelled while its write was unanswered, which version it may have made', () => {
    expect(reportOf(state({ plan, writes: sending('PutSecretValue') }), true).secret).toEqual({
      mode: 'put',
      arn: ARN,
      name: 'prod/db',
      status: 'failed',
      newVersionId: 'v2',
      previousVersionId: 'v1',
      reused: false,
      durationSeconds: 0,
      reason: 'cancelled after PutSecretValue was sent, before AWS answered: version v2 may exist'
    })
    // Not cancelled, no write sent, or another write sent: nothing is made up.
    expect(reportOf(state({ plan, writes: sending('PutSecretValue') }), false).secret).toBeUndefined()
    expect(reportOf(state({ plan }), true).secret).toBeUndefined()
    expect(reportOf(state({ plan, writes: sending('RotateSecret') }), true).secret).toBeUndefined()
    expect(reportOf(state({ plan: { ...plan, mode: 'rotate' }, writes: sending('RotateSecret') }), true).secret?.reason).toBe(
      'cancelled after RotateSecret was sent, before AWS answered: version v2 may exist'
    )
  })
})

describe('discoveredBy', () => {
  it('gives the references that made discovery pick a service, by its key', () => {
    const [api, web] = refs('prod/api\nprod/web')
    const references = [{ container: 'app', field: 'secrets', valueFrom: ARN, pinned: false }]
    const discovery = { found: [{ ref: api, taskDefinition: 'td:1', references }] } as unknown as RunState['discovery']
    const of = discoveredBy(state({ discovery }))
    expect(of(refs('prod/api')[0])).toBe(references)
    expect(of(web)).toBeUndefined()
    // The same service name in another cluster is another service.
    expect(of(refs('batch/api')[0])).toBeUndefined()
    expect(discoveredBy(state())(api)).toBeUndefined()
  })
})
