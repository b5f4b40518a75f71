// Jest test sequencer for mutation runs: keeps only the suites that covering-test-files.mjs
// named for the current mutant (same process: Stryker runs jest in band), smallest first so
// that bail-on-failure-runner.mjs stops after the cheapest suite that kills the mutant.
// Without that list, for instance in the dry run, it is jest's own sequencer.
import fs from 'node:fs'
import testSequencer from '@jest/test-sequencer'
import { COVERING_FILES } from './covering-files.mjs'

const Sequencer = testSequencer.default

export default class CoveringFilesSequencer extends Sequencer {
  sort(tests) {
    const files = globalThis[COVERING_FILES]
    if (!files) return super.sort(tests)
    const size = (test) => fs.statSync(test.path).size
    return tests.filter((test) => files.has(test.path)).sort((a, b) => size(a) - size(b))
  }
}
