// `tsx scripts/release-notes.ts v1.2.0`: prints the CHANGELOG.md section of that version, for the
// GitHub release. Fails when the section is missing, empty or still marked unreleased, or when
// package.json's version is another: a release is made once (immutable releases), so it must be right.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** The body of `## <tag> ...` in the changelog, or why there is none. */
export function releaseNotes(changelog: string, tag: string, packageVersion: string): { notes: string } | { problem: string } {
  if (!/^v\d+\.\d+\.\d+$/.test(tag)) return { problem: `${tag} is not a version tag like v1.2.0` }
  if (packageVersion !== tag.slice(1)) return { problem: `package.json has version ${packageVersion}, the tag is ${tag}` }
  const sections = changelog.split(/^(?=## )/m)
  const section = sections.find((s) => s.startsWith(`## ${tag} `) || s.startsWith(`## ${tag}\n`))
  if (!section) return { problem: `CHANGELOG.md has no "## ${tag}" section` }
  const [heading, ...body] = section.split('\n')
  if (/unreleased/i.test(heading))
    return { problem: `CHANGELOG.md still calls ${tag} unreleased: give it its date ("## ${tag} (YYYY-MM-DD)")` }
  const notes = body.join('\n').trim()
  if (!notes) return { problem: `CHANGELOG.md's ${tag} section is empty` }
  return { notes: `${notes}\n` }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const tag = process.argv[2] ?? ''
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
  const result = releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), tag, version)
  if ('problem' in result) {
    console.error(result.problem)
    process.exitCode = 1
  } else process.stdout.write(result.notes)
}
