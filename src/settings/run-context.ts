import type { RunContext } from './types.js'

/** The run, from the runner's environment, with defaults outside one. */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  return {
    id: env.GITHUB_RUN_ID || undefined,
    attempt: env.GITHUB_RUN_ATTEMPT || '1',
    job: env.GITHUB_JOB || undefined,
    step: env.GITHUB_ACTION || undefined,
    repository: env.GITHUB_REPOSITORY || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    actor: env.GITHUB_ACTOR || undefined,
    workflow: env.GITHUB_WORKFLOW || undefined,
    event: env.GITHUB_EVENT_NAME || undefined,
    sha: env.GITHUB_SHA || undefined
  }
}
