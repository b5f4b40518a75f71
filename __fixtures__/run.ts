import { afterEach, beforeEach, jest } from '@jest/globals'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { ECSClient } from '@aws-sdk/client-ecs'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { fakeCore } from './core.js'

/** The runner's environment the run() suites pass to run(): run 42, attempt 1, in eu-west-1. */
export const RUN_ENV = { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/infra', AWS_REGION: 'eu-west-1' }

/**
 * What every suite of run() needs, set up once: @actions/core replaced by `fakeCore` before
 * main.js is loaded, each SDK client mocked, the inputs each test sets, and before each test
 * the mocks reset and the record emptied. Call it at the top of the suite, with top-level await:
 * `const { run, record, sm, ecs, setInputs } = await runHarness()`.
 */
export async function runHarness() {
  const inputs: Record<string, string> = {}
  const { core, record } = fakeCore(inputs)
  jest.unstable_mockModule('@actions/core', () => core)
  const { run } = await import('../src/main.js')

  const sm = mockClient(SecretsManagerClient)
  const ecs = mockClient(ECSClient)
  const sts = mockClient(STSClient)
  const codedeploy = mockClient(CodeDeployClient)

  beforeEach(() => {
    // publishReport writes a summary only where the runner provides a summary file.
    process.env.GITHUB_STEP_SUMMARY = '/dev/null'
    for (const mock of [sm, ecs, sts, codedeploy]) mock.reset()
    // The credentials in the environment are in account 123456789012.
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' })
    for (const list of [record.errors, record.notices, record.logs, record.debug, record.masked, record.summary]) list.length = 0
    for (const key of Object.keys(record.outputs)) delete record.outputs[key]
  })
  afterEach(() => {
    process.exitCode = undefined
    delete process.env.GITHUB_STEP_SUMMARY
  })

  return {
    run,
    core,
    record,
    sm,
    ecs,
    sts,
    codedeploy,
    env: RUN_ENV,
    /** Replaces every input with `values`. */
    setInputs(values: Record<string, string>) {
      for (const key of Object.keys(inputs)) delete inputs[key]
      Object.assign(inputs, values)
    },
    /** The `services` output as [cluster/service, status, reason] rows. */
    statuses: () =>
      (JSON.parse(record.outputs.services) as { cluster: string; service: string; status: string; reason: string | null }[]).map((s) => [
        `${s.cluster}/${s.service}`,
        s.status,
        s.reason
      ])
  }
}
