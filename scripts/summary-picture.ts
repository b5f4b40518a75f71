// The picture in the README (docs/job-summary.png) is rendered from the demo's job summary, whose
// Markdown is committed beside it (docs/job-summary.md). A test runs the demo again and compares
// the two with what changes from run to run (version ids, times, poll counts) left out, so the
// picture cannot fall behind the summary: `npm run docs:picture` renews both.

export const PICTURE = 'docs/job-summary.png'
export const PICTURE_SOURCE = 'docs/job-summary.md'

/** The summary without what differs between two runs of the same demo. */
export function stableSummary(markdown: string): string {
  return (
    markdown
      // version ids Secrets Manager (the local endpoint) makes up
      .replace(/`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`/g, '`<version id>`')
      // the Mermaid timeline's epoch milliseconds
      .replace(/\b\d{13}\b/g, '<ms>')
      // durations in the tables
      .replace(/\| \d+(\.\d+)?(ms|s|m)( \d+s)? \|/g, '| <duration> |')
      // API use: calls, peaks and rates depend on how many polls the timing took
      .replace(/^(\| [a-z0-9-]+ \| [a-z-]+ \|).*$/gm, (line, start: string) =>
        /-(reads|writes) \|$/.test(start) ? `${start} <counts> |` : line
      )
  )
}
