/**
 * An error answered to the client. awsJson1_1 puts the type in `__type` (and in the `x-amzn-ErrorType`
 * header); the SDK maps it to its exception class by name.
 */
export class AwsError extends Error {
  /** For awsQuery-compatible JSON services: the awsQuery error code, sent in `x-amzn-query-error`. */
  queryCode?: string;

  constructor(
    readonly type: string,
    message: string | undefined,
    readonly status = 400,
  ) {
    super(message ?? type);
    this.name = type;
  }

  /** ECS and Logs write `message`; the unknown-operation answer carries none. */
  get hasMessage(): boolean {
    return this.message !== this.type;
  }
}

export const clientException = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const clusterNotFound = () => new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
