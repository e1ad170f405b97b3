/**
 * An error answered to the client, in whichever protocol the request came: awsJson puts the type in `__type`
 * (and in the `x-amzn-ErrorType` header), awsQuery in `<Code>`; the SDK maps it to its exception class by
 * name. Each service's own errors are in its folder (`<service>/errors.ts`).
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
