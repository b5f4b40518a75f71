import { AwsError } from '../aws-error.js'
import type { Call, Input, Operation } from '../operations.js'
import type { EcsState } from './state.js'

// Task definitions: DescribeTaskDefinition, from the scenario's taskDefinitions (the secrets each container reads).

export const TASK_DEFINITION_OPERATIONS: Operation<EcsState>[] = [
  { name: 'DescribeTaskDefinition', write: false, handler: describeTaskDefinition }
]

function describeTaskDefinition(state: EcsState, input: Input, { region, account }: Call) {
  const id = String(input.taskDefinition ?? '')
  const familyRevision = id.startsWith('arn:') ? id.split('task-definition/')[1] : id
  const [family, revision] = familyRevision.split(':')
  const matching = state.scenario.taskDefinitions.filter((t) => t.family === family)
  const td = revision ? matching.find((t) => t.revision === Number(revision)) : matching.sort((a, b) => b.revision - a.revision)[0]
  if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.')
  return {
    taskDefinition: {
      taskDefinitionArn: state.taskDefinitionArn(`${td.family}:${td.revision}`, region, account),
      family: td.family,
      revision: td.revision,
      status: 'ACTIVE',
      containerDefinitions: td.containers.map((c) => ({
        name: c.name,
        secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
        logConfiguration:
          c.logSecrets.length > 0
            ? { logDriver: 'splunk', options: {}, secretOptions: c.logSecrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) }
            : undefined,
        repositoryCredentials: c.repositoryCredentials ? { credentialsParameter: c.repositoryCredentials } : undefined
      }))
    }
  }
}
