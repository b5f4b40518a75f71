// `npm run validate`: checks action.yml and every workflow (examples/, .github/workflows/) with
// @actions/workflow-parser, the parser and schemas behind GitHub's own Actions language service,
// so it knows what GitHub accepts today (runs.using: node24 included). No download at run time.
import { readdirSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'

/** The problems GitHub would report for an action metadata file (empty when valid). */
export function actionProblems(name: string, content: string): string[] {
  const parsed = parseAction({ name, content }, new NoOperationTraceWriter())
  return parsed.context.errors.getErrors().map((e) => e.message)
}

/** The problems GitHub would report for a workflow file, schema and conversion both (empty when valid). */
export async function workflowProblems(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const problems = parsed.context.errors.getErrors().map((e) => e.message)
  if (problems.length > 0 || !parsed.value) return problems
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  return (template.errors ?? []).map((e) => e.Message)
}

export function workflowFiles(): string[] {
  return [
    ...readdirSync('examples').map((f) => `examples/${f}`),
    ...readdirSync('.github/workflows').map((f) => `.github/workflows/${f}`)
  ].filter((f) => /\.ya?ml$/.test(f))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let bad = 0
  const report = (file: string, problems: string[]) => {
    bad += problems.length
    console.log(problems.length === 0 ? `ok      ${file}` : `INVALID ${file}\n${problems.map((p) => `  ${p}`).join('\n')}`)
  }
  report('action.yml', actionProblems('action.yml', readFileSync('action.yml', 'utf8')))
  for (const file of workflowFiles()) report(file, await workflowProblems(file, readFileSync(file, 'utf8')))
  process.exitCode = bad > 0 ? 1 : 0
}
