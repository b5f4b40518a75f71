// `npm run docs`: regenerate the README's inputs and outputs tables from action.yml.
// `npm run docs -- --check`: fail if the README is stale (CI runs this through the unit tests too).
import { writeFileSync } from 'node:fs'
import { readFiles, updateReadme } from './docs.js'

const { readme, actionYml } = readFiles()
const updated = updateReadme(readme, actionYml)
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md is stale: run `npm run docs` and commit it.')
    process.exit(1)
  }
  console.log('README.md tables match action.yml.')
} else {
  writeFileSync('README.md', updated)
  console.log(updated === readme ? 'README.md was up to date.' : 'README.md tables regenerated from action.yml.')
}
