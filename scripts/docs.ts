import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The README's inputs and outputs tables, generated from action.yml (as actions/checkout does). */
export function renderTables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml
  const inputs = [
    '| input | meaning | default |',
    '|---|---|---|',
    ...Object.entries(action.inputs).map(
      ([name, i]) => `| \`${name}\` | ${cell(i.description)} | ${i.default === undefined ? '' : `\`${i.default}\``} |`
    )
  ]
  const outputs = [
    '| output | meaning |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`)
  ]
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') }
}

/** README with the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced by the tables. */
export function updateReadme(readme: string, actionYml: string): string {
  const tables = renderTables(actionYml)
  let out = readme
  for (const [name, table] of Object.entries(tables)) {
    const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
    if (!pattern.test(out)) throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`)
    out = out.replace(pattern, (_, start: string, end: string) => `${start}\n${table}\n${end}`)
  }
  return out
}

export function readFiles(): { readme: string; actionYml: string } {
  return { readme: readFileSync('README.md', 'utf8'), actionYml: readFileSync('action.yml', 'utf8') }
}
