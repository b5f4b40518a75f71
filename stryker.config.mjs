// Mutation testing (npm run test:mutation): which rules in src/ no unit test defends.
// Not part of npm test: a full run takes a long while on 2 cores. See README "Mutation testing".
import jestConfig from './jest.config.js'

// Only the unit tests: the e2e tests run the bundled dist/index.js, which no mutant reaches.
const unit = jestConfig.projects.find((p) => p.displayName === 'unit')

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  // Stryker's jest runner, loading only the test files that cover each mutant
  // (stryker/covering-test-files.mjs says why and how).
  testRunner: 'jest-covering-files',
  plugins: ['@stryker-mutator/*', './stryker/covering-test-files.mjs'],
  // Jest runs the tests as ES modules (see package.json "jest" script).
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // A single flat project replaces the file's three projects.
    config: {
      ...unit,
      projects: undefined,
      testSequencer: '<rootDir>/stryker/covering-files-sequencer.mjs',
      runner: '<rootDir>/stryker/bail-on-failure-runner.mjs'
    },
    enableFindRelatedTests: true
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  coverageAnalysis: 'perTest',
  mutate: ['src/**/*.ts', '!src/index.ts'],
  // Static mutants (module-level constants such as tables and patterns) need every test run
  // for each of them, over half the time of a run; their rules are used by the functions
  // the other mutants change. Reported as ignored, outside the score.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'bench/tmp', 'coverage', 'reports', 'scratch'],
  // Only mutants whose code or tests changed since the last run are tested again.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // With the checker, half the workers check types and half run tests. Type checking each
  // mutant is now the slow part, so 4 on 2 cores: 2 checkers and 2 jest runners (measured:
  // about 1.5 times the mutants a minute of concurrency 2 on timeline.ts).
  concurrency: 4,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 5000,
  tempDirName: '.stryker-tmp'
}
