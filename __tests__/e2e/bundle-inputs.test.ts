import { describe, expect, it } from '@jest/globals'
import { runAction } from '../../__fixtures__/runner.js'

// No AWS endpoint is reachable from these runs: any call the action made would fail,
// so a clean input error proves validation happens before AWS is contacted.
const noAws = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'eu-west-1' }

describe('the bundled action, run as a runner does, refuses bad input before any AWS call', () => {
  it('names each bad input in one ::error and sets every output', async () => {
    const run = await runAction({ mode: 'restart', 'secret-id': 'prod/db', 'max-concurrency': '0' }, noAws)
    expect(run.code).toBe(1)
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].title).toBe('Invalid input')
    expect(errors[0].message).toContain('`mode`: "restart" is not one of rotate, put, redeploy')
    expect(errors[0].message).toContain('`max-concurrency`: "0" is not a whole number from 1 to 100')
    expect(run.outputs).toEqual({
      'secret-arn': '',
      'version-id': '',
      'previous-version-id': '',
      services: '[]',
      'failed-services': '',
      result: 'failed',
      plan: ''
    })
    expect(run.summary).toContain('**Invalid input:**')
  })

  it('masks a given secret value and never prints it', async () => {
    const value = 'Sup3r-S3cret-Value'
    const run = await runAction({ mode: 'put', 'secret-id': 'prod/db', 'secret-string': value, 'generate-password': 'true' }, noAws)
    expect(run.code).toBe(1)
    expect(run.masked).toContain(value)
    const shown = [run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
    expect(shown).not.toContain(value)
    expect(run.annotations[0].message).toContain('`secret-string`: mode put needs exactly one of')
  })

  it('asks for aws-region when neither the input nor the environment gives one', async () => {
    const run = await runAction({ 'secret-id': 'prod/db' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' })
    expect(run.code).toBe(1)
    expect(run.annotations[0].message).toContain('`aws-region`: required')
  })
})
