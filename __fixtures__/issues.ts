import type { IssuesApi, OpenIssue } from '../src/github/issues-api.js'

/** An in-memory repository's issues behind the IssuesApi interface, with every call recorded. */
export function fakeIssues(seed: { body: string; labels: string[]; state?: 'open' | 'closed' }[] = []) {
  const issues = seed.map((s, i) => ({ number: i + 1, title: `seed ${i + 1}`, comments: [] as string[], state: 'open', ...s }))
  const calls: string[] = []
  /** The repository's labels, by name, with their descriptions. */
  const labels = new Map(seed.flatMap((s) => s.labels).map((l): [string, string] => [l, '']))
  const api: IssuesApi = {
    async ensureLabel(name, description) {
      calls.push(`label ${name}`)
      if (!labels.has(name)) labels.set(name, description)
    },
    async listOpen(label) {
      calls.push(`list ${label}`)
      return issues
        .filter((i) => i.state === 'open' && i.labels.includes(label))
        .map((i): OpenIssue => ({ number: i.number, body: i.body, url: `https://github.com/acme/infra/issues/${i.number}` }))
    },
    async create({ title, body, labels: wanted }) {
      calls.push(`create ${title}`)
      // As GitHub may: a label that does not exist is dropped.
      const issue = { number: issues.length + 1, title, body, labels: wanted.filter((l) => labels.has(l)), comments: [], state: 'open' }
      issues.push(issue)
      return { number: issue.number, body, url: `https://github.com/acme/infra/issues/${issue.number}` }
    },
    async comment(number, body) {
      calls.push(`comment #${number}`)
      const issue = issues.find((i) => i.number === number)
      if (!issue) throw Object.assign(new Error('Not Found'), { status: 404 })
      issue.comments.push(body)
    },
    async close(number) {
      calls.push(`close #${number}`)
      const issue = issues.find((i) => i.number === number)
      if (!issue) throw Object.assign(new Error('Not Found'), { status: 404 })
      issue.state = 'closed'
    }
  }
  return { api, issues, calls, labels }
}
