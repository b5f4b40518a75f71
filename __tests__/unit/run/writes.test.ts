import { describe, expect, it } from '@jest/globals'
import { CancelledError, WriteGate } from '../../../src/run/writes.js'

describe('WriteGate', () => {
  it('sends a write with the run signal and records how it ended', async () => {
    const controller = new AbortController()
    const gate = new WriteGate(controller.signal)
    const seen: (AbortSignal | undefined)[] = []
    await gate.send('PutSecretValue', 'prod/db', async (signal) => {
      seen.push(signal)
      return 'ok'
    })
    await expect(gate.send('UpdateService', 'prod/api', async () => Promise.reject(new Error('denied')))).rejects.toThrow('denied')
    expect(seen).toEqual([controller.signal])
    expect(gate.records()).toEqual([
      { call: 'PutSecretValue', target: 'prod/db', state: 'done' },
      { call: 'UpdateService', target: 'prod/api', state: 'failed' }
    ])
  })

  it('does not send a write once the run is cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const gate = new WriteGate(controller.signal)
    let sent = false
    const write = gate.send('RotateSecret', 'prod/db', async () => {
      sent = true
    })
    await expect(write).rejects.toThrow(new CancelledError('RotateSecret of prod/db was not sent: the run was cancelled'))
    expect(sent).toBe(false)
    expect(gate.records()).toEqual([])
  })

  it('records a write the cancel cut off before its answer as unanswered', async () => {
    const controller = new AbortController()
    const gate = new WriteGate(controller.signal)
    const write = gate.send('UpdateSecretVersionStage', 'prod/db', (signal) => {
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('Request aborted'))))
    })
    expect(gate.records()).toEqual([{ call: 'UpdateSecretVersionStage', target: 'prod/db', state: 'sending' }])
    controller.abort()
    await expect(write).rejects.toThrow('Request aborted')
    expect(gate.records()).toEqual([{ call: 'UpdateSecretVersionStage', target: 'prod/db', state: 'unanswered' }])
  })
})
