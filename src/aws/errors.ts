/** `Name: message` for an SDK error, so the AWS error name reaches the user unchanged. */
export function describeAwsError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : ''
    return `${name}${error.message}`
  }
  return String(error)
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name
}

/** `describeAwsError` ending with exactly one full stop, for messages that go on after it. */
export function awsErrorSentence(error: unknown): string {
  return `${describeAwsError(error).replace(/\.+$/, '')}.`
}
