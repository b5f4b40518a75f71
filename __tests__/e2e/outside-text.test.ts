import { beforeAll, describe, expect, it } from '@jest/globals'
import { decodeHTML } from 'entities'
import { marked } from 'marked'
import { HOSTILE } from '../../__fixtures__/hostile.js'
import { runnerEnv, runScenario, sensitiveValues } from '../../__fixtures__/e2e.js'
import type { ActionRun } from '../../__fixtures__/runner.js'
import type { Issue } from '../../emulator/github.js'
import type { ScenarioInput } from '../../emulator/scenario.js'
import { Stage } from '../../src/stages.js'

// Issue 21: every field the action echoes from AWS, filled with the hostile corpus by the local
// endpoint, through the bundled action, to the exact log lines, the job summary and the issue.

const SECRET = 'team/@octo-org/db'
const ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET}`
/** A pinned reference whose JSON key tries to close its code span and cell (the issue's example). */
const PINNED = `${ARN}:${HOSTILE.backticks}`
/** ECS allows none of this in a family name; the action must not rely on it. No `/` or `:`, where the ARN splits. */
const FAMILY = 'fam` | <img src=x onerror=alert(1)> [verify](evil.example) @acme-security-team <script>x --> #1 **b**'
const CONTAINER = 'c` | <img src=x> @acme/security-team'
const VARIABLE = 'DB_<b>x</b>'

const LONG = HOSTILE['long line']
const SHORT = Object.entries(HOSTILE)
  .filter(([name]) => name !== 'long line')
  .map(([, value]) => value)
/** Each field gets the whole corpus after a tag that says which field it is; the long line first, so it cuts nothing else. */
const corpus = (tag: string) => `${tag}: ${LONG} ${SHORT.join(' ')}`

const scenario: ScenarioInput = {
  secrets: [{ name: SECRET, value: '{"username":"app","password":"Old-Hostile-Pw-41"}' }],
  clusters: [
    {
      name: 'prod',
      services: [
        { name: 'ok', deploymentMs: 300, taskDefinition: 'ok:1' },
        { name: 'pinned', deploymentMs: 300, taskDefinition: `${FAMILY}:3` },
        {
          name: 'roll',
          deploymentMs: 600,
          taskDefinition: 'ok:1',
          outcome: 'circuit-breaker',
          stoppedReason: corpus('SR'),
          failureReasons: { rolloutState: corpus('RSR'), event: corpus('EV') }
        },
        {
          name: 'blue',
          deploymentMs: 600,
          taskDefinition: 'ok:1',
          strategy: 'BLUE_GREEN',
          alarms: ['db-errors'],
          outcome: 'alarm',
          failureReasons: { serviceDeployment: corpus('SDR') }
        },
        { name: 'cd', deploymentMs: 300, taskDefinition: 'ok:1', deploymentController: 'CODE_DEPLOY', loadBalancer: 'target-group' }
      ]
    }
  ],
  codeDeployApplications: [
    {
      name: 'app',
      deploymentGroups: [{ name: 'cd', services: ['prod/cd'], outcome: 'fail', durationMs: 300, errorMessage: corpus('CDE') }]
    }
  ],
  taskDefinitions: [
    { family: 'ok', revision: 1, containers: [{ name: 'ok', secrets: [{ name: 'DB', valueFrom: `${ARN}:password::` }] }] },
    { family: FAMILY, revision: 3, containers: [{ name: CONTAINER, secrets: [{ name: VARIABLE, valueFrom: PINNED }] }] }
  ]
}

const inputs = {
  mode: 'put',
  'secret-id': SECRET,
  'generate-password': 'true',
  'json-key': 'password',
  'discover-services': 'true',
  clusters: 'prod',
  'failure-issue': 'true'
}

let run: ActionRun
let issue: Issue
let sensitive: string[]

beforeAll(async () => {
  const result = await runScenario(scenario, inputs, {
    env: (emu) => ({ ...runnerEnv(emu), GITHUB_API_URL: emu.githubApiUrl, 'INPUT_GITHUB-TOKEN': emu.scenario.github.token })
  })
  run = result.run
  expect(result.emu.github.issues).toHaveLength(1)
  issue = result.emu.github.issues[0]
  sensitive = sensitiveValues(result.emu, [result.emu.scenario.github.token])
}, 120_000)

// ---- the log ---------------------------------------------------------------------------------

/** The runner's reading of a step's output: lines split at CR, LF or CRLF. */
const runnerLines = (stdout: string) => stdout.split(/\r\n|\r|\n/)

/** A log line of outside text is cut at 4,000 characters, and says how many more there were. */
function cut(line: string): string {
  return line.length <= 4000 ? line : `${line.slice(0, 4000)}… (${line.length - 4000} more characters)`
}

/** The corpus after its first line, as log lines: each a continuation, `##[` broken, control characters shown. */
const TAIL = [
  '│ ::stop-commands::pwned stopped',
  '│ ::add-mask::hunter2 stopped',
  `│   ::error title=x::forged stopped%0A::warning::forged ::set-output name=result::succeeded fine ## [add-mask]hunter2 ${SHORT.slice(6, 16).join(' ')} # big`,
  '│ - item'
]
const LAST = '1. one **bold** _it_ ~~gone~~ \uFFFD[2K\uFFFD[1Aerased \uFFFD[8mhidden'

// Ids of the same length as ECS's and CodeDeploy's, so that a line is cut where it was.
const ECS_ID = `ecs-svc/${'0'.repeat(19)}`
const CODEDEPLOY_ID = 'd-000000000'

/** The lines a service's failure takes in the log, from `<service>: failed after`, with times and ids made fixed. */
function failureLines(service: string): string[] {
  const lines = runnerLines(run.stdout)
  const start = lines.findIndex((l) => l.startsWith(`${service}: failed after `))
  expect(start).toBeGreaterThanOrEqual(0)
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('│ '))
  return lines.slice(start, end).map((l) =>
    l
      .replace(/failed after \d+s/, 'failed after Ns')
      .replace(/ecs-svc\/\d{19}/g, ECS_ID)
      .replace(/d-[A-Z0-9]{9}/g, CODEDEPLOY_ID)
  )
}

describe('outside text in the log, end to end', () => {
  it('leaves only the action’s own workflow commands: masks, debug and annotations, none forged, nothing stopped', () => {
    const lines = runnerLines(run.stdout)
    const commands = lines.filter((l) => /^\s*::/.test(l)).map((l) => /^\s*::([^ :]*)/.exec(l)?.[1])
    // ::stop-commands:: and ::set-output would be honoured, and are absent.
    expect([...new Set(commands)].sort()).toEqual(['add-mask', 'debug', 'endgroup', 'error', 'group', 'notice', 'warning'])
    // The only groups are the action's own, one per stage, named after it: none opened by outside text.
    const stages: string[] = Object.values(Stage)
    expect(lines.filter((l) => /^\s*::group::/.test(l) && !stages.includes(l.replace(/^\s*::group::/, '')))).toEqual([])
    // `##[` anywhere in a line is the older syntax; a `::` command line is read as that command first.
    expect(lines.filter((l) => !/^\s*::/.test(l) && l.includes('##['))).toEqual([])
    // Every mask is a value the action means to hide; a forged `::add-mask::hunter2` would be one more.
    expect(run.masked.filter((m) => !sensitive.includes(m))).toEqual([])
    expect(run.annotations.map((a) => `${a.level} ${a.title}`).sort()).toEqual([
      'error prod/blue',
      'error prod/cd',
      'error prod/roll',
      `notice secret-rollout`,
      `warning prod/pinned: container ${CONTAINER}`
    ])
  })

  it('shows an ECS rolloutStateReason, a stopped task’s stoppedReason and a service event as lines no runner reads as commands', () => {
    expect(failureLines('prod/roll')).toEqual([
      cut(`prod/roll: failed after Ns (deployment failed: RSR: ${LONG} stopped`),
      ...TAIL,
      `│ ${cut(`${LAST}; stopped task: SR: ${LONG} stopped`)}`,
      ...TAIL,
      `│ ${cut(`${LAST}; event: (service roll) rolling back to deployment ${ECS_ID}.; event: (service roll) deployment ${ECS_ID} deployment failed: EV: ${LONG} stopped`)}`,
      ...TAIL,
      `│ ${LAST})`
    ])
  })

  it('shows a service-deployment statusReason (blue/green) and a CodeDeploy error message the same way', () => {
    const blue = failureLines('prod/blue')
    // Whether ECS has finished rolling back when the action reads the record depends on timing.
    const status = /service deployment (ROLLBACK_IN_PROGRESS|ROLLBACK_SUCCESSFUL):/.exec(blue[0])?.[1]
    expect(status).toBeDefined()
    expect(blue).toEqual([
      cut(`prod/blue: failed after Ns (service deployment ${status}: SDR: ${LONG} stopped`),
      ...TAIL,
      `│ ${LAST}; rollback: CloudWatch alarm triggered a rollback.; alarms in ALARM: db-errors)`
    ])
    expect(failureLines('prod/cd')).toEqual([
      cut(`prod/cd: failed after Ns (CodeDeploy deployment ${CODEDEPLOY_ID} Failed: ECS_UPDATE_ERROR: CDE: ${LONG} stopped`),
      ...TAIL,
      `│ ${LAST}; lifecycle event AfterAllowTestTraffic Failed)`
    ])
  })
})
// ---- the summary and the issue ---------------------------------------------------------------

/** The HTML GitHub-flavoured Markdown makes of it. */
const rendered = (markdown: string) => marked.parse(markdown, { gfm: true, async: false })

/** What a reader sees of some HTML: its text, entities decoded, line breaks as spaces, zero-width spaces dropped. */
const visible = (html: string) =>
  decodeHTML(html.replace(/<br>/g, ' ').replace(/<[^>]+>/g, ''))
    .replace(/\u200b/g, '')
    .replace(/\s+/g, ' ')
    .trim()

/** A hostile value as a reader should see it: whole, its line breaks as spaces, control characters as `�`. */
const shown = (value: string) =>
  value
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b/g, '\uFFFD')
    .replace(/\s+/g, ' ')
    .trim()

/** The rows of the table whose header starts with these cells, each row as the text of its cells. */
function table(html: string, ...header: string[]): string[][] {
  const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1])
  const found = tables.find((t) => header.every((h, i) => visible([...t.matchAll(/<th>([\s\S]*?)<\/th>/g)][i]?.[1] ?? '') === h))
  expect(found).toBeDefined()
  return [...(found as string).matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...row[1].matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => visible(cell[1])))
}

/** The only links the action writes: to this repository, its run and commit, the actor, and the AWS console. */
const OWN_LINK =
  /^https:\/\/(github\.com\/(acme\/infra\/(actions\/runs|commit|issues)\/|octocat$)|eu-west-1\.console\.aws\.amazon\.com\/(ecs\/v2\/clusters\/prod\/services\/|codesuite\/codedeploy\/deployments\/d-))/

function expectInert(markdown: string) {
  const html = rendered(markdown)
  // Only the tags the action's own Markdown makes: no image, script, emphasis, heading 1 or list from outside text.
  expect([...new Set([...html.matchAll(/<([a-z][a-z0-9]*)/g)].map((m) => m[1]))].sort()).toEqual([
    'a',
    'br',
    'code',
    'h2',
    'h3',
    'p',
    'pre',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr'
  ])
  expect(
    [...html.matchAll(/<a\b[^>]*>/g)].map((m) => /href="([^"]*)"/.exec(m[0])?.[1]).filter((href) => !OWN_LINK.test(href ?? ''))
  ).toEqual([])
  // Every table row keeps its columns: nothing closed a cell or ended a row.
  for (const [, t] of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
    const columns = [...t.matchAll(/<th>/g)].length
    for (const [, row] of [...t.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1)) expect([...row.matchAll(/<td>/g)]).toHaveLength(columns)
  }
  // Outside code and the action's links, no `@name` (a mention that notifies), `#1` (a reference) or bare URL.
  const prose = decodeHTML(
    html
      .replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>|<a\b[^>]*>[\s\S]*?<\/a>/g, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]+>/g, ' ')
  )
  expect(prose.match(/@[\w-]+|#\d+|\w+#\d+|https?:\/\/\S*|www\.\S*/g)).toBeNull()
  return html
}

/** What is left of the corpus after the cut of its first line (which ends with the first value's `stopped`). */
const AFTER_CUT = ['::stop-commands::pwned', ...SHORT.slice(1)]

/** Where each value belongs, in the summary and in the issue alike. */
function expectShown(html: string) {
  const services = table(html, 'cluster', 'service', 'outcome')
  const reason = (service: string) => services.find((r) => r[1] === service)?.[6] ?? ''
  for (const [service, tags] of [
    ['roll', ['RSR', 'SR', 'EV']],
    ['blue', ['SDR']],
    ['cd', ['CDE']]
  ] as const) {
    for (const tag of tags) expect(reason(service)).toContain(`${tag}: ${'A'.repeat(100)}`)
    // Each value of the corpus, whole, as text: after each field's cut long line.
    const lines = reason(service).split(' more characters) ')
    expect(lines).toHaveLength(tags.length + 1)
    for (const rest of lines.slice(1)) for (const value of AFTER_CUT) expect(rest).toContain(shown(value))
  }
  expect(table(html, 'cluster', 'service', 'task definition').find((r) => r[1] === 'pinned')).toEqual([
    'prod',
    'pinned',
    `${FAMILY}:3`,
    `${CONTAINER}.${VARIABLE}`,
    PINNED,
    '⚠️ pinned to AWSPREVIOUS: a redeploy keeps the old value'
  ])
  expect(table(html, 'secret', 'mode')[0].slice(0, 2)).toEqual([SECRET, 'put'])
}

describe('outside text in the job summary and the tracking issue, end to end', () => {
  it('makes the summary no HTML, link, mention or broken table, and shows every value where it belongs', () => {
    expect(run.summary).not.toMatch(/<!--|-->/)
    expectShown(expectInert(run.summary))
  })

  it('makes the issue the same, under its marker and a head that names the secret without a mention', () => {
    expect(issue.title).toBe(`secret-rollout failed: \`${SECRET}\` (put)`)
    const [marker, head] = issue.body.split('\n')
    expect(marker).toBe(`<!-- secret-rollout tracking: secret ${SECRET} -->`)
    expect(head).toMatch(
      /^A secret-rollout run for `team\/@octo-org\/db` \(put\) failed: team\/@&#8203;octo-org\/db: version [0-9a-f-]{36} is AWSCURRENT \(put; previous [0-9a-f-]{36} is AWSPREVIOUS\); 4 services: 1 succeeded, 3 failed$/
    )
    const html = expectInert(issue.body)
    // The marker is the only comment: no `-->` from outside text ended it or opened another.
    expect(html.match(/<!--|-->/g)).toEqual(['<!--', '-->'])
    expectShown(html)
  })
})
