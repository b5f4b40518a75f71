import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

// The emulator's modules import each other without a circle (type imports count: a circle of
// types still ties the files' behaviours together). The imports are read by TypeScript itself.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../emulator')

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

/** Each module's imports of other emulator modules, as paths relative to emulator/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of modules(ROOT)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const local = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(ROOT, resolve(dirname(file), name.replace(/\.js$/, '.ts'))))
    graph.set(relative(ROOT, file), local)
  }
  return graph
}

/** The first circle found, as the files along it, or undefined. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>()
  const visit = (file: string, path: string[]): string[] | undefined => {
    if (path.includes(file)) return [...path.slice(path.indexOf(file)), file]
    if (done.has(file)) return undefined
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next, [...path, file])
      if (circle) return circle
    }
    done.add(file)
    return undefined
  }
  for (const file of graph.keys()) {
    const circle = visit(file, [])
    if (circle) return circle
  }
  return undefined
}

describe('the emulator modules', () => {
  it('import each other without a circle', () => {
    const graph = importGraph()
    expect(graph.get('server.ts')).toContain('ecs/index.ts')
    expect(findCircle(graph)).toBeUndefined()
  })

  it('would be caught importing in a circle', () => {
    const graph = new Map([
      ['ecs/index.ts', ['ecs/services.ts']],
      ['ecs/services.ts', ['ecs/state.ts']],
      ['ecs/state.ts', ['ecs/index.ts']]
    ])
    expect(findCircle(graph)).toEqual(['ecs/index.ts', 'ecs/services.ts', 'ecs/state.ts', 'ecs/index.ts'])
  })
})
