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

describe('WriteGate.idle', () => {
  it('waits for a write in flight to be answered, and no longer', async () => {
    const gate = new WriteGate()
    let answer: () => void = () => undefined
    const write = gate.send('PutSecretValue', 'prod/db', () => new Promise<void>((resolve) => (answer = resolve)))
    setTimeout(() => answer(), 50)
    const started = Date.now()
    await gate.idle(5000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(40)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(gate.records()).toEqual([{ call: 'PutSecretValue', target: 'prod/db', state: 'done' }])
    await write
  })

  it('gives up after its time when the answer never comes, and at once when nothing is in flight', async () => {
    const gate = new WriteGate()
    const quick = Date.now()
    await gate.idle(5000)
    expect(Date.now() - quick).toBeLessThan(40)
    void gate.send('UpdateService', 'prod/api', () => new Promise<never>(() => undefined))
    const started = Date.now()
    await gate.idle(100)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(gate.records()[0].state).toBe('sending')
  })

  it('names the error it throws for a write not sent', () => {
    expect(new CancelledError('x').name).toBe('CancelledError')
  })
})
