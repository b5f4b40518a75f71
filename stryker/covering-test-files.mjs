// Stryker test runner "jest-covering-files": Stryker's jest runner, but each mutant loads only
// the test files whose tests cover it.
//
// Why: with perTest coverage Stryker already runs only the covering tests (a --testNamePattern),
// but jest's --findRelatedTests still loads every test file that imports the mutated file,
// however indirectly. The run() tests import nearly all of src/, so each mutant paid for loading
// 10-20 suites (2.5 s) to run a handful of tests in one or two of them.
//
// How: the dry run (all tests, one worker) writes which file each test id lives in; for each
// mutant this runner turns Stryker's test filter into those files and hands them to
// covering-files-sequencer.mjs, which jest calls in this same process (runInBand) and which
// drops every other suite (a suite with no covering test would only have had its tests
// skipped), smallest first; bail-on-failure-runner.mjs then stops at the first failing test.
// Anything unknown (no filter, an id not in the index) runs what the jest runner would have run.
// Measured on timeline.ts (84 mutants, 2 cores, same results): 7m 1s before, 4m 53s with the
// file list and bail; the rest is the TypeScript checker.
import fs from 'node:fs'
import path from 'node:path'
import { commonTokens, declareFactoryPlugin, PluginKind } from '@stryker-mutator/api/plugin'
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner'
import { COVERING_FILES } from './covering-files.mjs'

// In the sandbox (each worker's cwd), so every worker of this run reads the same index.
const INDEX_FILE = path.resolve('.stryker-covering-index.json')

const jestFactory = jestPlugins.find((p) => p.name === 'jest').factory

class CoveringFilesRunner {
  constructor(jest) {
    this.jest = jest
    this.index = undefined
  }

  init() {
    return this.jest.init?.()
  }

  dispose() {
    return this.jest.dispose?.()
  }

  capabilities() {
    return this.jest.capabilities()
  }

  async dryRun(options) {
    const result = await this.jest.dryRun(options)
    if (result.status === 'complete') {
      const index = {}
      for (const test of result.tests) {
        if (test.fileName) (index[test.id] ??= []).push(test.fileName)
      }
      fs.writeFileSync(INDEX_FILE, JSON.stringify(index))
    }
    return result
  }

  async mutantRun(options) {
    globalThis[COVERING_FILES] = this.filesFor(options.testFilter)
    try {
      return await this.jest.mutantRun(options)
    } finally {
      delete globalThis[COVERING_FILES]
    }
  }

  /** The test files holding these tests, or undefined to let jest load what it would anyway. */
  filesFor(testIds) {
    if (!testIds) return undefined
    this.index ??= fs.existsSync(INDEX_FILE) ? JSON.parse(fs.readFileSync(INDEX_FILE, 'utf8')) : {}
    const files = new Set()
    for (const id of testIds) {
      const found = this.index[id]
      if (!found) return undefined
      for (const file of found) files.add(file)
    }
    return files
  }
}

function coveringFilesRunnerFactory(injector) {
  return new CoveringFilesRunner(jestFactory(injector))
}
coveringFilesRunnerFactory.inject = [commonTokens.injector]

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-covering-files', coveringFilesRunnerFactory)]
