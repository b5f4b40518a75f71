import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { releaseNotes } from '../../scripts/release-notes.js'

const CHANGELOG = `# Changelog

Intro.

## v1.1.0 (2026-12-10)

- \`allowed-account-ids\`.

## v1.0.0 (2026-12-01)

First release.
`

describe('release notes from CHANGELOG.md', () => {
  it("gives the tag's section, without its heading", () => {
    expect(releaseNotes(CHANGELOG, 'v1.1.0', '1.1.0')).toEqual({ notes: '- `allowed-account-ids`.\n' })
    expect(releaseNotes(CHANGELOG, 'v1.0.0', '1.0.0')).toEqual({ notes: 'First release.\n' })
  })

  it('refuses a release the changelog or package.json is not ready for', () => {
    expect(releaseNotes(CHANGELOG, 'v1.2.0', '1.2.0')).toEqual({ problem: 'CHANGELOG.md has no "## v1.2.0" section' })
    expect(releaseNotes(CHANGELOG, 'v1.1.0', '1.0.0')).toEqual({ problem: 'package.json has version 1.0.0, the tag is v1.1.0' })
    expect(releaseNotes(CHANGELOG, 'v1', '1')).toEqual({ problem: 'v1 is not a version tag like v1.2.0' })
    expect(releaseNotes('## v1.0.0 (unreleased)\n\nFirst.\n', 'v1.0.0', '1.0.0')).toEqual({
      problem: 'CHANGELOG.md still calls v1.0.0 unreleased: give it its date ("## v1.0.0 (YYYY-MM-DD)")'
    })
    expect(releaseNotes('## v1.0.0 (2026-12-01)\n\n## v0.9.0\n', 'v1.0.0', '1.0.0')).toEqual({
      problem: "CHANGELOG.md's v1.0.0 section is empty"
    })
  })

  it('finds the section of the version in progress in the real changelog', () => {
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(/^## v\d+\.\d+\.\d+ /m)
  })
})
