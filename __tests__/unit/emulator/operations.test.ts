import { describe, expect, it } from '@jest/globals'
import { CodeDeployModel } from '../../../emulator/codedeploy.js'
import { ECS_OPERATIONS } from '../../../emulator/ecs/index.js'
import { dispatch, writeOperations, type Operation } from '../../../emulator/operations.js'
import { SecretsManagerModel } from '../../../emulator/secrets-manager.js'
import { WRITE_OPERATIONS } from '../../../emulator/server.js'
import { STS_OPERATIONS } from '../../../emulator/sts.js'

// The operations that change AWS state, per the AWS API references: the ones a "nothing was
// written" claim and the fault matrix's writes are about. Everything else the emulator answers reads.
const WRITES = {
  secretsmanager: ['PutSecretValue', 'RotateSecret', 'UpdateSecretVersionStage'],
  ecs: ['UpdateService'],
  codedeploy: ['CreateDeployment', 'StopDeployment'],
  sts: []
}
const TABLES = {
  secretsmanager: SecretsManagerModel.OPERATIONS,
  ecs: ECS_OPERATIONS,
  codedeploy: CodeDeployModel.OPERATIONS,
  sts: STS_OPERATIONS
}
const READS_BY_PREFIX = /^(Describe|Get|List|BatchGet|Assume)/

describe('the operation tables', () => {
  it.each(Object.keys(TABLES) as (keyof typeof TABLES)[])('%s marks exactly its writes', (service) => {
    const table = TABLES[service]
    expect(writeOperations([{ operations: table }]).sort()).toEqual([...WRITES[service]].sort())
    // Every operation not marked a write is one whose name says it reads.
    for (const o of table.filter((x) => !x.write)) expect(o.name).toMatch(READS_BY_PREFIX)
  })

  it('names each operation once per service', () => {
    for (const table of Object.values(TABLES)) expect(new Set(table.map((o) => o.name)).size).toBe(table.length)
  })

  it('gives the server its list of writes, service by service', () => {
    expect([...WRITE_OPERATIONS].sort()).toEqual(
      Object.entries(WRITES)
        .flatMap(([service, names]) => names.map((n) => `${service}:${n}`))
        .sort()
    )
  })
})

describe('dispatch', () => {
  const table: Operation<{ seen: string[] }>[] = [
    { name: 'Echo', write: false, handler: (m, input, call) => (m.seen.push(`${call.account}@${call.region}`), input) }
  ]

  it('runs the named operation with the input and the call', () => {
    const model = { seen: [] as string[] }
    expect(dispatch(model, table, 'Echo', { a: 1 }, { region: 'eu-west-1', account: '123456789012' })).toEqual({ a: 1 })
    expect(model.seen).toEqual(['123456789012@eu-west-1'])
  })

  it('answers an operation the table lacks as AWS does', () => {
    expect(() => dispatch({ seen: [] }, table, 'Nope', {}, { region: 'eu-west-1', account: '1' })).toThrow(
      expect.objectContaining({ code: 'UnknownOperationException', message: 'Operation Nope is not supported by this endpoint' })
    )
  })
})
