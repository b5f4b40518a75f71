// Jest runner for mutation runs: jest's own in-band runner, but it stops loading suites once
// one test has failed, since one failing test is all Stryker needs to count a mutant killed
// (jest's own `bail` ends the process, so Stryker turns it off). Only in mutant runs
// (covering-test-files.mjs sets the list); the dry run must see every test.
import jestRunner from 'jest-runner'
import { COVERING_FILES } from './covering-files.mjs'

const TestRunner = jestRunner.default

export default class BailOnFailureRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (!globalThis[COVERING_FILES]) return super.runTests(tests, watcher, options)
    // Jest's scheduler has already taken this result (its listener comes first); the
    // interrupted watcher makes the in-band loop skip the suites not yet loaded.
    const stop = () => watcher.setState({ interrupted: true })
    const offSuccess = this.on('test-file-success', ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) stop()
    })
    const offFailure = this.on('test-file-failure', stop)
    try {
      return await super.runTests(tests, watcher, options)
    } finally {
      offSuccess()
      offFailure()
    }
  }
}
