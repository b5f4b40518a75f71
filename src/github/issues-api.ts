import { getOctokit } from '@actions/github'
import type { TrackingIssueSettings } from '../settings/index.js'

/** An open issue, as much of it as the tracking issue needs. */
export interface OpenIssue {
  number: number
  body: string
  url: string
}

/** The four issue calls the tracking issue makes: the whole of this action's GitHub API use. */
export interface IssuesApi {
  /** Creates the label unless it exists: GitHub drops a label that does not exist from a new issue. */
  ensureLabel(name: string, description: string): Promise<void>
  listOpen(label: string): Promise<OpenIssue[]>
  create(issue: { title: string; body: string; labels: string[] }): Promise<OpenIssue>
  comment(number: number, body: string): Promise<void>
  close(number: number): Promise<void>
}

/** The REST API through @actions/github's octokit, at GITHUB_API_URL, with the job's token. */
export function createIssuesApi(settings: TrackingIssueSettings): IssuesApi {
  const octokit = getOctokit(settings.token, { baseUrl: settings.apiUrl })
  const [owner, repo] = settings.repository.split('/')
  return {
    async ensureLabel(name, description) {
      try {
        await octokit.rest.issues.getLabel({ owner, repo, name })
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error
        await octokit.rest.issues.createLabel({ owner, repo, name, description, color: 'd73a4a' }).catch((e: { status?: number }) => {
          // Another run created it in between.
          if (e.status !== 422) throw e
        })
      }
    },
    async listOpen(label) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: 'open', per_page: 100 })
      // The issues list holds pull requests too; they carry a `pull_request` field.
      return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, body: i.body ?? '', url: i.html_url }))
    },
    async create(issue) {
      const { data } = await octokit.rest.issues.create({ owner, repo, ...issue })
      return { number: data.number, body: data.body ?? '', url: data.html_url }
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
    },
    async close(number) {
      await octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' })
    }
  }
}
