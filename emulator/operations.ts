import { AwsError } from './aws-error.js'

export type Input = Record<string, unknown>

/** Where a call is answered: the region it was signed for and the account of the keys that signed it. */
export interface Call {
  region: string
  account: string
}

/**
 * One AWS operation of a model: its name, whether it changes anything (the fault matrix and
 * `Emulator.writes()` count these), and what answers it.
 */
export interface Operation<M> {
  name: string
  write: boolean
  handler: (model: M, input: Input, call: Call) => unknown
}

/** A service the router answers: its operations, and the clock the router moves once per call. */
export interface AwsModel {
  readonly operations: readonly Pick<Operation<never>, 'name' | 'write'>[]
  /** Applies everything that has happened by `now`; the router calls it once before each handler. */
  advance(now: number): void
  handle(operation: string, input: Input, call: Call): unknown
}

/** Runs the operation of that name from a model's table, or answers as AWS does for one it lacks. */
export function dispatch<M>(model: M, operations: readonly Operation<M>[], name: string, input: Input, call: Call): unknown {
  const operation = operations.find((o) => o.name === name)
  if (!operation) throw new AwsError('UnknownOperationException', `Operation ${name} is not supported by this endpoint`)
  return operation.handler(model, input, call)
}

/** The names of the operations that write, from the models' own tables. */
export function writeOperations(models: readonly Pick<AwsModel, 'operations'>[]): string[] {
  return models.flatMap((m) => m.operations.filter((o) => o.write).map((o) => o.name))
}
