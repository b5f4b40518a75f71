import { describe, expect, it } from '@jest/globals'
import { leaks, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import type { ActionRun } from '../../__fixtures__/runner.js'

// Issue 21: masks that do not eat the report. A secret's JSON holds ordinary words and the
// cluster's own name; the runner masks every registered value in every line, and drops a job
// output that holds one. Names must survive both, while the password stays hidden.

const OLD_PASSWORD = 'Old-Pg-Pass-7741'
const OLD = JSON.stringify({
  username: 'app',
  port: 5432,
  engine: 'postgres',
  host: 'db.internal.example',
  cluster: 'app-api',
  password: OLD_PASSWORD
})

/** What the runner shows of a text: each registered value replaced by `***`. */
function asTheRunnerShows(text: string, run: ActionRun): string {
  return run.masked.reduce((shown, value) => shown.split(value).join('***'), text)
}

describe('masks that do not eat the report, end to end', () => {
  it('keeps the service and cluster names in `services`, `failed-services` and the summary, and masks the password', async () => {
    const { run, emu } = await runScenario(
      {
        secrets: [{ name: 'prod/db', value: OLD }],
        clusters: [
          {
            name: 'app-api',
            services: [
              { name: 'app', deploymentMs: 300 },
              { name: 'api', deploymentMs: 300 },
              { name: 'worker', deploymentMs: 300, outcome: 'circuit-breaker' }
            ]
          }
        ]
      },
      {
        mode: 'put',
        'secret-id': 'prod/db',
        'generate-password': 'true',
        'json-key': 'password',
        services: 'app-api/app\napp-api/api\napp-api/worker'
      }
    )
    expect(run.code).toBe(1)
    const value = emu.secrets.valueOf('prod/db', 'AWSCURRENT') as string
    const password = (JSON.parse(value) as { password: string }).password
    expect(password).not.toBe(OLD_PASSWORD)

    // The secret parts are masked, each whole value and each password; the ordinary fields are not.
    expect(run.masked).toEqual(expect.arrayContaining([OLD, OLD_PASSWORD, value, password]))
    for (const plain of ['app', '5432', 'app-api']) expect(run.masked).not.toContain(plain)
    // A runner drops a job output that holds a masked value: none does.
    for (const [name, output] of Object.entries(run.outputs)) {
      expect([name, run.masked.filter((m) => output.includes(m))]).toEqual([name, []])
    }
    const services = JSON.parse(run.outputs.services) as { cluster: string; service: string; status: string }[]
    expect(services.map((s) => `${s.cluster}/${s.service}:${s.status}`)).toEqual([
      'app-api/app:succeeded',
      'app-api/api:succeeded',
      'app-api/worker:failed'
    ])
    expect(run.outputs['failed-services']).toBe('app-api/worker')

    // The summary and the log, as the runner shows them, still name every service.
    const summary = asTheRunnerShows(run.summary, run)
    // Each service name links to its console page, whose URL holds the cluster and service names too.
    const page = (service: string) =>
      `https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/app-api/services/${service}/deployments?region=eu-west-1`
    expect(summary).toContain(`| app-api | [app](${page('app')}) | ✅ succeeded |`)
    expect(summary).toContain(`| app-api | [api](${page('api')}) | ✅ succeeded |`)
    expect(summary).toContain(`| app-api | [worker](${page('worker')}) | ❌ failed |`)
    expect(summary).not.toContain('***')
    const log = asTheRunnerShows(run.stdout.replace(/^::add-mask::.*$/gm, ''), run)
    expect(log).toMatch(/^app-api\/app: rolled out after \d+s$/m)
    expect(log).toMatch(/^app-api\/worker: failed after \d+s/m)
    expect(log).not.toContain('***')

    // And nothing secret shows: every value the endpoint holds, but the names the report must show.
    const secret = sensitiveValues(emu).filter((v) => !['app', 'app-api'].includes(v))
    expect(secret).toEqual(expect.arrayContaining([OLD_PASSWORD, password, 'postgres', 'db.internal.example']))
    expect(leaks(run, secret)).toEqual([])
  }, 60_000)
})
