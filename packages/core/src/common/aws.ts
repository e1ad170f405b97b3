import { sleepUnlessCancelled, throwIfCancelled, type CancellationSignal } from './cancellation';
import { ConfigurationError } from './errors';
import { systemClock } from './poll';
import { judgeRegion } from './regions';
import { isThrottlingError } from './retry';
import { proxyAgents } from './proxy';
import { FailFastRetryStrategy } from './sdk-retry';
import { SUITE_VERSION } from './version';

export interface AwsContext {
  region: string;
  /** The action's name, e.g. `deploy-ecs`, so AWS-side logs (CloudTrail) show which step made a call. */
  action: string;
}

/** The region input wins; then the variables the runner and configure-aws-credentials set. */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const source = input ? "Input 'region'" : env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(
      "No AWS region: set the 'region' input or AWS_REGION (aws-actions/configure-aws-credentials sets it).",
      'region',
    );
  }
  const verdict = judgeRegion(region);
  if (verdict.kind === 'unknown') {
    const fix = input ? "Set 'region'" : `Set ${source} (or the 'region' input)`;
    const guess = verdict.suggestions.length ? `; did you mean ${verdict.suggestions.join(' or ')}?` : '.';
    throw new ConfigurationError(
      `${source} is "${region}", which is not an AWS region${guess} ${fix} to a region such as us-east-1, as the AWS console's region menu shows it.`,
      'region',
    );
  }
  return region;
}

const MAX_ATTEMPTS = 8;

/**
 * Settings every SDK client in the suite shares. Standard retry, not adaptive: adaptive mode slows the whole client
 * after throttles (its rate limiter is shared by every call), which made the watcher fall seconds behind a crash
 * loop. 8 attempts: under 30 % throttling + 10 % 5xx a read outside a poll loop fails once in 3,000 calls (with
 * 5, once in 150: about one deploy in 15 failed on a pre-flight or report read). Reads in a poll loop skip the
 * SDK's retries altogether (withoutSdkRetries); mutating calls add their own bounded, logged retries (retryTransient). The request timeout keeps one hung call from eating the whole
 * deploy budget. Endpoints are left to the SDK, which honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>. Behind
 * a proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY: see proxy.ts) the requests go through the suite's proxy agents; the
 * SDK itself reads no proxy variable.
 */
export function clientSettings(context: AwsContext) {
  return {
    region: context.region,
    retryMode: 'standard',
    maxAttempts: MAX_ATTEMPTS,
    // Standard mode, but a host that does not resolve or refuses connections fails on the first attempt.
    retryStrategy: new FailFastRetryStrategy(MAX_ATTEMPTS),
    customUserAgent: [[`ecs-deploy-suite/${context.action}`, SUITE_VERSION]] as [string, string][],
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, ...proxyAgents() },
  };
}

export type ClientClass<C> = new (config: ReturnType<typeof clientSettings>) => C;

/** The one way the suite builds an AWS client. */
export function createClient<C>(Client: ClientClass<C>, context: AwsContext): C {
  return new Client(clientSettings(context));
}

/** Builds the clients a use case needs when it needs them: in a region its request names, for the action's user agent. */
export type ClientFactory = <C>(Client: ClientClass<C>, region: string) => C;

export function clientFactory(action: string): ClientFactory {
  return (Client, region) => createClient(Client, { region, action });
}

/** The SDK's own retry middleware: the SDK adds it under this name, replaceable by one of the same name. */
const SDK_RETRY_STEP = { name: 'retryMiddleware', tags: ['RETRY'], step: 'finalizeRequest', priority: 'high', override: true } as const;

interface CommandWithStack {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: typeof SDK_RETRY_STEP,
    ): void;
  };
}

/**
 * The command, sent once: no SDK retry and no backoff sleep. For reads in a poll loop, where the next tick is the
 * retry and a sleep inside the SDK only makes the watcher late. The SDK (smithy) has no per-call retry setting, so
 * this puts a pass-through in place of the client's retry middleware for this command only (a command's middleware
 * of the same name overrides the client's).
 */
export function withoutSdkRetries<T extends object>(command: T): T {
  (command as unknown as CommandWithStack).middlewareStack.add((next) => (args) => next(args), SDK_RETRY_STEP);
  return command;
}

/** Attempts in all at a mutating call ECS throttled, within one attempt of retryTransient: as many as the client's. */
export const THROTTLE_ATTEMPTS = 8;
const THROTTLE_BASE_DELAY_MS = 500;
const THROTTLE_MAX_DELAY_MS = 20_000;

/**
 * The mutating command, with the SDK's retries kept for throttles only. A throttled call was refused before it ran,
 * so sending it again is safe; a 5xx, a timeout or a reset connection may come after the call took effect (its answer
 * lost), and the SDK would send it again blindly: a second revision registered, a second deployment started. Those
 * errors are thrown at once to the caller's retryTransient, which looks at what the failed attempt did before trying
 * again. Throttles wait as the standard mode waits for them (full jitter from 500 ms, doubling, at most 20 s). A
 * cancelled workflow ends the wait at once and sends nothing more (WorkflowCancelled): no mutating call after the signal.
 */
export function retryingThrottlesOnly<T extends object>(
  command: T,
  { signal, random = Math.random }: { signal?: CancellationSignal; random?: () => number } = {},
): T {
  (command as unknown as CommandWithStack).middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(args);
        } catch (error) {
          if (attempt >= THROTTLE_ATTEMPTS || !isThrottlingError(error)) throw error;
          const ceiling = Math.min(THROTTLE_MAX_DELAY_MS, THROTTLE_BASE_DELAY_MS * 2 ** (attempt - 1));
          throwIfCancelled(signal);
          await sleepUnlessCancelled(systemClock, Math.round(random() * ceiling), signal);
          throwIfCancelled(signal);
        }
      }
    },
    SDK_RETRY_STEP,
  );
  return command;
}

interface SendingClient {
  send(command: object, ...rest: never[]): Promise<unknown>;
}

/** The client as a poll loop reads with it: every command it sends goes once (withoutSdkRetries). */
export function sendingOnce<C extends SendingClient>(client: C): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: object, ...rest: never[]) => target.send(withoutSdkRetries(command), ...rest);
    },
  });
}
