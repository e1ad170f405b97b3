import { StandardRetryStrategy } from '@smithy/core/retry';
import { unreachableEndpoint } from './unreachable';

type Token = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type ErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * The SDK's standard retry strategy, except for a host that does not resolve or refuses the connection: the SDK
 * counts those as transient and would back off through every attempt (a region typo or a closed endpoint took
 * most of a minute to report). Refusing the retry token makes the SDK throw that first error as it is.
 * A connection reset (the call may have reached AWS) is still retried.
 */
export class FailFastRetryStrategy {
  readonly mode = 'standard';
  private readonly standard: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<Token> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: Token, errorInfo: ErrorInfo): Promise<Token> {
    if (unreachableEndpoint(errorInfo.error)) return Promise.reject(errorInfo.error);
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: Token): void {
    this.standard.recordSuccess(token);
  }
}
