import type { IncomingMessage } from 'node:http'
import type { GithubSpec } from './scenario.js'

// The few GitHub REST calls the tracking issue uses, as api.github.com answers them: list a
// repository's issues by label (paginated with a Link header), create one, comment on one,
// close one. Served under /github, which a test passes as GITHUB_API_URL, as a runner does.

export const GITHUB_PREFIX = '/github'

export interface Issue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: 'completed' | 'not_planned' | 'reopened' | null
  labels: string[]
  comments: string[]
}

export interface GithubAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** GitHub's limit for an issue body or a comment. */
export const MAX_BODY_CHARACTERS = 65536

export class GithubModel {
  readonly issues: Issue[]
  /** The repository's labels. Creating an issue with one that does not exist drops it (the cautious reading of GitHub's "silently dropped"). */
  readonly labels: Set<string>
  private readonly repository: string

  constructor(
    private readonly spec: GithubSpec,
    private readonly baseUrl: () => string
  ) {
    this.repository = spec.repository
    this.labels = new Set([...spec.labels, ...spec.issues.flatMap((i) => i.labels)])
    this.issues = spec.issues.map((i, n) => ({
      number: n + 1,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.state === 'closed' ? 'completed' : null,
      labels: i.labels,
      comments: []
    }))
  }

  /** Every body and comment written or held: what the leak scan reads. */
  texts(): string[] {
    return this.issues.flatMap((i) => [i.title, i.body, ...i.comments])
  }

  handle(req: IncomingMessage, body: Buffer): GithubAnswer {
    const url = new URL(req.url ?? '/', 'http://x')
    const path = url.pathname.slice(GITHUB_PREFIX.length)
    const auth = String(req.headers.authorization ?? '')
    if (auth !== `token ${this.spec.token}` && auth !== `Bearer ${this.spec.token}`) {
      return error(401, 'Bad credentials', 'https://docs.github.com/rest')
    }
    const method = req.method ?? 'GET'
    const write = method !== 'GET'
    const labelPath = /^\/repos\/([^/]+\/[^/]+)\/labels(?:\/([^/]+))?$/.exec(path)
    if (labelPath && labelPath[1] === this.repository) return this.label(method, labelPath[2], body)
    const match = /^\/repos\/([^/]+\/[^/]+)\/issues(?:\/(\d+)(\/comments)?)?$/.exec(path)
    if (!match || match[1] !== this.repository) return error(404, 'Not Found', 'https://docs.github.com/rest')
    // A job token without `issues: write` may read (with `issues: read`) but not write; without any issues permission, neither.
    if (this.spec.permission === 'none' || (write && this.spec.permission === 'read')) {
      return error(
        403,
        'Resource not accessible by integration',
        DOCS[`${method} ${match[3] ? 'comments' : match[2] ? 'issue' : 'issues'}`]
      )
    }
    const input = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {}
    const number = match[2] ? Number(match[2]) : undefined
    if (number === undefined) {
      if (method === 'GET') return this.list(url)
      if (method === 'POST') return this.create(input)
    } else {
      const issue = this.issues.find((i) => i.number === number)
      if (!issue) return error(404, 'Not Found', DOCS['GET issue'])
      if (match[3] && method === 'POST') return this.comment(issue, input)
      if (!match[3] && method === 'PATCH') return this.update(issue, input)
      if (!match[3] && method === 'GET') return { status: 200, body: this.shape(issue) }
    }
    return error(404, 'Not Found', 'https://docs.github.com/rest')
  }

  /** GET /labels/{name} and POST /labels, with the same permission rules as issues. */
  private label(method: string, name: string | undefined, body: Buffer): GithubAnswer {
    if (this.spec.permission === 'none' || (method !== 'GET' && this.spec.permission === 'read')) {
      return error(403, 'Resource not accessible by integration', DOCS[method === 'GET' ? 'GET label' : 'POST label'])
    }
    const shape = (label: string) => ({ id: [...this.labels].indexOf(label) + 1, name: label, color: 'd73a4a', default: false })
    if (method === 'GET' && name) {
      const label = decodeURIComponent(name)
      return this.labels.has(label) ? { status: 200, body: shape(label) } : error(404, 'Not Found', DOCS['GET label'])
    }
    if (method === 'POST' && !name) {
      const input = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {}
      if (typeof input.name !== 'string' || input.name === '') return invalid('Label', 'name', 'missing_field')
      if (this.labels.has(input.name)) return invalid('Label', 'name', 'already_exists')
      this.labels.add(input.name)
      return { status: 201, body: shape(input.name) }
    }
    return error(404, 'Not Found', 'https://docs.github.com/rest')
  }

  private list(url: URL): GithubAnswer {
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean)
    const state = url.searchParams.get('state') ?? 'open'
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const page = Number(url.searchParams.get('page') ?? 1)
    const matching = this.issues
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      // Newest first, as GitHub sorts by default (created, desc).
      .sort((a, b) => b.number - a.number)
    const slice = matching.slice((page - 1) * perPage, page * perPage)
    const headers: Record<string, string> = {}
    if (page * perPage < matching.length) {
      const next = new URL(`${this.baseUrl()}${GITHUB_PREFIX}/repos/${this.repository}/issues`)
      url.searchParams.forEach((v, k) => next.searchParams.set(k, v))
      next.searchParams.set('page', String(page + 1))
      headers.link = `<${next.toString()}>; rel="next"`
    }
    return { status: 200, body: slice.map((i) => this.shape(i)), headers }
  }

  private create(input: Record<string, unknown>): GithubAnswer {
    if (typeof input.title !== 'string' || input.title === '') return invalid('Issue', 'title', 'missing_field')
    const body = typeof input.body === 'string' ? input.body : ''
    if (body.length > MAX_BODY_CHARACTERS) return tooLong('Issue')
    const issue: Issue = {
      number: this.issues.length + 1,
      title: input.title,
      body,
      state: 'open',
      state_reason: null,
      labels: Array.isArray(input.labels) ? input.labels.map(String).filter((l) => this.labels.has(l)) : [],
      comments: []
    }
    this.issues.push(issue)
    return { status: 201, body: this.shape(issue) }
  }

  private comment(issue: Issue, input: Record<string, unknown>): GithubAnswer {
    if (typeof input.body !== 'string' || input.body === '') return invalid('IssueComment', 'body', 'missing_field')
    if (input.body.length > MAX_BODY_CHARACTERS) return tooLong('IssueComment')
    issue.comments.push(input.body)
    const id = this.issues.reduce((n, i) => n + i.comments.length, 0)
    return {
      status: 201,
      body: { id, body: input.body, html_url: `${this.htmlUrl(issue)}#issuecomment-${id}`, issue_url: this.apiUrl(issue) }
    }
  }

  private update(issue: Issue, input: Record<string, unknown>): GithubAnswer {
    if (input.state === 'closed' || input.state === 'open') issue.state = input.state
    if (typeof input.state_reason === 'string') issue.state_reason = input.state_reason as Issue['state_reason']
    else if (input.state === 'closed') issue.state_reason = 'completed'
    return { status: 200, body: this.shape(issue) }
  }

  /** The fields of GitHub's issue object the action and its tests read. */
  private shape(issue: Issue) {
    return {
      id: 1000 + issue.number,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name })),
      comments: issue.comments.length,
      html_url: this.htmlUrl(issue),
      url: this.apiUrl(issue)
    }
  }

  private htmlUrl(issue: Issue): string {
    return `https://github.com/${this.repository}/issues/${issue.number}`
  }

  private apiUrl(issue: Issue): string {
    return `${this.baseUrl()}${GITHUB_PREFIX}/repos/${this.repository}/issues/${issue.number}`
  }
}

const DOCS: Record<string, string> = {
  'GET issues': 'https://docs.github.com/rest/issues/issues#list-repository-issues',
  'POST issues': 'https://docs.github.com/rest/issues/issues#create-an-issue',
  'GET issue': 'https://docs.github.com/rest/issues/issues#get-an-issue',
  'PATCH issue': 'https://docs.github.com/rest/issues/issues#update-an-issue',
  'POST comments': 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  'GET label': 'https://docs.github.com/rest/issues/labels#get-a-label',
  'POST label': 'https://docs.github.com/rest/issues/labels#create-a-label'
}

function error(status: number, message: string, documentationUrl = 'https://docs.github.com/rest'): GithubAnswer {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } }
}

function invalid(resource: string, field: string, code: string): GithubAnswer {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code, field }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422'
    }
  }
}

function tooLong(resource: string): GithubAnswer {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)` }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422'
    }
  }
}
