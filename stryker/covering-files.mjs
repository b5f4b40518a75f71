// What the mutation-run plugins share within one jest process: the test files the current
// mutant may load (a Set of paths), or nothing outside a mutant run. A registered symbol, so
// the sandbox's copies of these modules and Stryker's own see the same global.
export const COVERING_FILES = Symbol.for('secret-rollout.stryker.coveringFiles')
