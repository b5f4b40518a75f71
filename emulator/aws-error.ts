/** An error answered the way the real service does: its code, message and HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
  }
}

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message)
export const invalidRequest = (message: string) => new AwsError('InvalidRequestException', message)
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message)
