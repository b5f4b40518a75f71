import { describe, expect, it } from '@jest/globals'
import { versionToken, type WriteIdentity } from '../../../src/secret/client-token.js'
import { versionBeforeRun, type VersionEntry } from '../../../src/secret/history.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
const attempt = (n: number): WriteIdentity => ({ run: { id: '7', attempt: String(n), serverUrl: '' }, secretArn: ARN, mode: 'put' })
const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 0, 0, s))
const noList = async (): Promise<VersionEntry[]> => {
  throw new Error('the version list is not needed here')
}

describe('versionBeforeRun (the rollback target)', () => {
  it('is AWSCURRENT when no earlier attempt of the step wrote it', async () => {
    expect(await versionBeforeRun({ v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] }, attempt(2), noList)).toEqual({
      versionId: 'v1',
      judgedBy: 'AWSCURRENT'
    })
  })

  it('is AWSCURRENT on a first attempt even when a matrix leg of the same attempt wrote it', async () => {
    const sibling = versionToken(attempt(1))
    expect(await versionBeforeRun({ [sibling]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }, attempt(1), noList)).toEqual({
      versionId: sibling,
      judgedBy: 'AWSCURRENT'
    })
  })

  it('is AWSPREVIOUS when attempt 1 wrote AWSCURRENT (killed after its put)', async () => {
    const first = versionToken(attempt(1))
    expect(await versionBeforeRun({ [first]: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] }, attempt(2), noList)).toEqual({
      versionId: 'v1',
      judgedBy: 'AWSPREVIOUS'
    })
  })

  it('is the newest version made before the step first wrote, when both labels are on versions of earlier attempts', async () => {
    const [first, second] = [versionToken(attempt(1)), versionToken(attempt(2))]
    const list = async (): Promise<VersionEntry[]> => [
      { id: 'v0', stages: [], createdAt: at(1) },
      { id: 'v1', stages: [], createdAt: at(5) },
      { id: first, stages: ['AWSPREVIOUS'], createdAt: at(10) },
      { id: 'later-by-someone', stages: [], createdAt: at(12) },
      { id: second, stages: ['AWSCURRENT'], createdAt: at(20) }
    ]
    expect(await versionBeforeRun({ [second]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] }, attempt(3), list)).toEqual({
      versionId: 'v1',
      judgedBy: 'creation time'
    })
  })

  it('is none when no version older than the step is left', async () => {
    const [first, second] = [versionToken(attempt(1)), versionToken(attempt(2))]
    const list = async (): Promise<VersionEntry[]> => [
      { id: first, stages: ['AWSPREVIOUS'], createdAt: at(10) },
      { id: second, stages: ['AWSCURRENT'], createdAt: at(20) }
    ]
    expect(await versionBeforeRun({ [second]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] }, attempt(3), list)).toEqual({
      versionId: undefined,
      judgedBy: 'creation time'
    })
  })

  it("does not take a version made at the same moment as the step's first for one made before it", async () => {
    const [first, second] = [versionToken(attempt(1)), versionToken(attempt(2))]
    const list = async (): Promise<VersionEntry[]> => [
      { id: 'v0', stages: [], createdAt: at(1) },
      { id: 'same-moment', stages: [], createdAt: at(10) },
      { id: first, stages: ['AWSPREVIOUS'], createdAt: at(10) },
      { id: second, stages: ['AWSCURRENT'], createdAt: at(20) }
    ]
    expect((await versionBeforeRun({ [second]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] }, attempt(3), list)).versionId).toBe('v0')
  })
})
