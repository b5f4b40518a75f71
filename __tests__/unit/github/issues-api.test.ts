import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createIssuesApi } from '../../../src/github/issues-api.js'

interface Seen {
  method: string
  path: string
  body?: unknown
}

interface RepoIssue {
  number: number
  body: string | null
  labels: string[]
  state: 'open' | 'closed'
  pull_request?: { url: string }
}

/**
 * A tiny GitHub REST API for acme/infra on 127.0.0.1, answering from what it is asked:
 * labels (`taken` holds the ones another run creates between our GET and our POST),
 * issues listed by label and state, created, commented on and updated. `refuse` answers
 * one "METHOD path" with an error status instead. Every request is recorded.
 */
async function fakeGithub(seed: { labels?: string[]; taken?: string[]; issues?: RepoIssue[]; refuse?: Record<string, number> } = {}) {
  const labels = new Set(seed.labels ?? [])
  const taken = new Set(seed.taken ?? [])
  const issues: RepoIssue[] = [...(seed.issues ?? [])]
  const seen: Seen[] = []
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const shape = (i: RepoIssue) => ({ ...i, html_url: `https://github.com/acme/infra/issues/${i.number}` })
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined
    seen.push({ method, path: `${url.pathname}${url.search}`, ...(body ? { body } : {}) })
    const refused = seed.refuse?.[`${method} ${url.pathname}`]
    if (refused) return json(res, refused, { message: 'Resource not accessible by integration' })
    const label = /^\/repos\/acme\/infra\/labels\/([^/]+)$/.exec(url.pathname)
    if (method === 'GET' && label) {
      const name = decodeURIComponent(label[1])
      return labels.has(name) ? json(res, 200, { name }) : json(res, 404, { message: 'Not Found' })
    }
    if (method === 'POST' && url.pathname === '/repos/acme/infra/labels') {
      const name = String(body?.name)
      if (labels.has(name) || taken.has(name)) {
        return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] })
      }
      labels.add(name)
      return json(res, 201, { name, color: body?.color, description: body?.description })
    }
    if (method === 'GET' && url.pathname === '/repos/acme/infra/issues') {
      const wanted = url.searchParams.get('labels') ?? ''
      const state = url.searchParams.get('state')
      return json(res, 200, issues.filter((i) => i.state === state && i.labels.includes(wanted)).map(shape))
    }
    if (method === 'POST' && url.pathname === '/repos/acme/infra/issues') {
      // GitHub answers an empty body as null.
      const issue: RepoIssue = {
        number: issues.length + 1,
        body: (body?.body as string) || null,
        labels: body?.labels as string[],
        state: 'open'
      }
      issues.push(issue)
      return json(res, 201, shape(issue))
    }
    const one = /^\/repos\/acme\/infra\/issues\/(\d+)(\/comments)?$/.exec(url.pathname)
    const issue = one && issues.find((i) => i.number === Number(one[1]))
    if (issue && one[2] && method === 'POST') return json(res, 201, { id: 1, body: body?.body })
    if (issue && !one[2] && method === 'PATCH') {
      issue.state = body?.state as RepoIssue['state']
      return json(res, 200, shape(issue))
    }
    return json(res, 404, { message: 'Not Found' })
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const api = createIssuesApi({ token: 'test-token', repository: 'acme/infra', apiUrl })
  return { api, seen, issues, labels }
}

const servers: ReturnType<typeof createServer>[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

describe('the GitHub issues API', () => {
  it('creates a missing label, in red with its description, after GitHub says it does not exist', async () => {
    const { api, seen, labels } = await fakeGithub()
    await api.ensureLabel('secret-rollout', 'keeps failing')
    expect(seen).toEqual([
      { method: 'GET', path: '/repos/acme/infra/labels/secret-rollout' },
      { method: 'POST', path: '/repos/acme/infra/labels', body: { name: 'secret-rollout', description: 'keeps failing', color: 'd73a4a' } }
    ])
    expect([...labels]).toEqual(['secret-rollout'])
  })

  it('leaves a label that exists alone', async () => {
    const { api, seen } = await fakeGithub({ labels: ['secret-rollout'] })
    await api.ensureLabel('secret-rollout', 'keeps failing')
    expect(seen).toEqual([{ method: 'GET', path: '/repos/acme/infra/labels/secret-rollout' }])
  })

  it('accepts a label another run created between the look-up and the creation', async () => {
    const { api, seen } = await fakeGithub({ taken: ['secret-rollout'] })
    await expect(api.ensureLabel('secret-rollout', 'keeps failing')).resolves.toBeUndefined()
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /repos/acme/infra/labels/secret-rollout',
      'POST /repos/acme/infra/labels'
    ])
  })

  it('passes on a refused label look-up without trying to create the label', async () => {
    const { api, seen } = await fakeGithub({ refuse: { 'GET /repos/acme/infra/labels/secret-rollout': 403 } })
    await expect(api.ensureLabel('secret-rollout', 'keeps failing')).rejects.toMatchObject({ status: 403 })
    expect(seen).toHaveLength(1)
  })

  it('passes on a refused label creation', async () => {
    const { api } = await fakeGithub({ refuse: { 'POST /repos/acme/infra/labels': 403 } })
    await expect(api.ensureLabel('secret-rollout', 'keeps failing')).rejects.toMatchObject({ status: 403 })
  })

  it('lists the open issues with the label, without the pull requests GitHub lists among them', async () => {
    const { api, seen } = await fakeGithub({
      issues: [
        { number: 1, body: 'tracking prod/db', labels: ['secret-rollout'], state: 'open' },
        {
          number: 2,
          body: 'a pull request',
          labels: ['secret-rollout'],
          state: 'open',
          pull_request: { url: 'https://api.github.com/repos/acme/infra/pulls/2' }
        },
        { number: 3, body: null, labels: ['secret-rollout'], state: 'open' },
        { number: 4, body: 'closed', labels: ['secret-rollout'], state: 'closed' },
        { number: 5, body: 'other label', labels: ['bug'], state: 'open' }
      ]
    })
    expect(await api.listOpen('secret-rollout')).toEqual([
      { number: 1, body: 'tracking prod/db', url: 'https://github.com/acme/infra/issues/1' },
      { number: 3, body: '', url: 'https://github.com/acme/infra/issues/3' }
    ])
    expect(seen).toEqual([{ method: 'GET', path: '/repos/acme/infra/issues?labels=secret-rollout&state=open&per_page=100' }])
  })

  it('creates an issue with its title, body and labels, and returns its number and address', async () => {
    const { api, seen } = await fakeGithub({ issues: [{ number: 1, body: 'older', labels: [], state: 'open' }] })
    const issue = await api.create({ title: 'secret-rollout failed: prod/db', body: 'details', labels: ['secret-rollout'] })
    expect(issue).toEqual({ number: 2, body: 'details', url: 'https://github.com/acme/infra/issues/2' })
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/repos/acme/infra/issues',
        body: { title: 'secret-rollout failed: prod/db', body: 'details', labels: ['secret-rollout'] }
      }
    ])
  })

  it('reads an empty body GitHub answers as null as an empty string', async () => {
    const { api } = await fakeGithub()
    expect(await api.create({ title: 't', body: '', labels: [] })).toEqual({
      number: 1,
      body: '',
      url: 'https://github.com/acme/infra/issues/1'
    })
  })

  it('comments on an issue and closes it as completed', async () => {
    const { api, seen, issues } = await fakeGithub({ issues: [{ number: 1, body: 'tracking', labels: ['secret-rollout'], state: 'open' }] })
    await api.comment(1, 'Succeeded. Closing.')
    await api.close(1)
    expect(seen).toEqual([
      { method: 'POST', path: '/repos/acme/infra/issues/1/comments', body: { body: 'Succeeded. Closing.' } },
      { method: 'PATCH', path: '/repos/acme/infra/issues/1', body: { state: 'closed', state_reason: 'completed' } }
    ])
    expect(issues[0].state).toBe('closed')
  })
})
