import { ConfigurationError } from './errors';
import { SUITE_VERSION } from './version';

export interface AwsContext {
  region: string;
  /** The action's name, e.g. `deploy-ecs`, so AWS-side logs (CloudTrail) show which step made a call. */
  action: string;
}

/** The region input wins; then the variables the runner and configure-aws-credentials set. */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(
      "No AWS region: set the 'region' input or AWS_REGION (aws-actions/configure-aws-credentials sets it).",
      'region',
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigurationError(`Input 'region' must be an AWS region such as us-east-1; got "${region}".`, 'region');
  }
  return region;
}

/**
 * Settings every SDK client in the suite shares. Adaptive retry absorbs throttling while we poll once a second;
 * the request timeout keeps one hung call from eating the whole deploy budget. Endpoints are left to the SDK,
 * which honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> by itself.
 */
export function clientSettings(context: AwsContext) {
  return {
    region: context.region,
    retryMode: 'adaptive',
    maxAttempts: 6,
    customUserAgent: [[`ecs-deploy-suite/${context.action}`, SUITE_VERSION]] as [string, string][],
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
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
