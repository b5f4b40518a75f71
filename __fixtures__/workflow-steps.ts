import { readFileSync } from 'node:fs'
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { truthy } from '@actions/expressions/result'
import { parse } from 'yaml'

/** What the expressions of a step may read, as on a runner. */
export interface ExpressionContext {
  inputs?: Record<string, string | boolean>
  matrix?: Record<string, string>
  github?: Record<string, string>
}

/** One run of this action an example workflow would make: where it is, and the inputs the runner gives it. */
export interface ActionStepRun {
  label: string
  inputs: Record<string, string>
}

interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string | boolean | number>
}

interface Workflow {
  on: { workflow_dispatch?: { inputs?: Record<string, { default?: string | boolean; type?: string }> } }
  jobs: Record<string, { strategy?: { matrix?: { include?: Record<string, string>[] } }; steps: Step[] }>
}

const CONTEXTS = ['inputs', 'matrix', 'github']

/** Evaluates one expression (without `${{ }}`) against the context, with GitHub's own evaluator. */
export function evaluate(expression: string, context: ExpressionContext): data.ExpressionData {
  const { tokens } = new Lexer(expression).lex()
  const tree = new Parser(tokens, CONTEXTS, []).parse()
  const values = JSON.parse(
    JSON.stringify({ inputs: context.inputs ?? {}, matrix: context.matrix ?? {}, github: context.github ?? {} }),
    data.reviver
  ) as data.Dictionary
  return new Evaluator(tree, values).evaluate()
}

/** A `with:` value as the runner passes it: every `${{ }}` replaced by its value as a string. */
export function interpolate(value: string | boolean | number, context: ExpressionContext): string {
  return String(value).replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => evaluate(expression, context).coerceString())
}

/** Whether a step's `if:` lets it run (no `if:` runs; `${{ }}` around it is optional, as on GitHub). */
function runs(step: Step, context: ExpressionContext): boolean {
  if (step.if === undefined) return true
  const expression = step.if.replace(/^\s*\$\{\{(.*)\}\}\s*$/s, '$1')
  return truthy(evaluate(expression, context))
}

/**
 * The runs of `uses:` steps whose reference starts with `action` in a workflow file, for one set
 * of `workflow_dispatch` inputs (missing ones take the workflow's defaults) and every entry of each
 * job's `matrix.include`. Each run's inputs are the step's `with:` resolved, then the action's own
 * defaults (action.yml, expressions resolved too) for inputs the step does not give: what the runner hands the action.
 */
export function actionRuns(file: string, action: string, given: ExpressionContext = {}): ActionStepRun[] {
  const workflow = parse(readFileSync(file, 'utf8')) as Workflow
  const declared = workflow.on.workflow_dispatch?.inputs ?? {}
  const inputs = { ...Object.fromEntries(Object.entries(declared).map(([name, i]) => [name, i.default ?? ''])), ...given.inputs }
  const actionYml = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> }
  const found: ActionStepRun[] = []
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    for (const matrix of job.strategy?.matrix?.include ?? [undefined]) {
      const context = { ...given, inputs, matrix }
      job.steps.forEach((step, index) => {
        if (!step.uses?.startsWith(action) || !runs(step, context)) return
        const resolved = Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(value, context)]))
        for (const [name, input] of Object.entries(actionYml.inputs)) {
          if (!(name in resolved) && input.default !== undefined) resolved[name] = interpolate(input.default, context)
        }
        const where = matrix ? `[${Object.values(matrix)[0]}]` : ''
        found.push({ label: `${jobName}${where} ${step.name ?? step.id ?? `step ${index + 1}`}`, inputs: resolved })
      })
    }
  }
  return found
}
