/**
 * A request that found no one to talk to: the host does not resolve or nothing listens on its port. Retrying does
 * not change that within a step's lifetime (the SDK's 8 attempts only turned a typo into a minute of backoff), so
 * such an error is not retried and becomes one message naming the host and the settings that chose it.
 */
export interface UnreachableEndpoint {
  code: 'ECONNREFUSED' | 'ENOTFOUND' | 'EAI_AGAIN';
  /** host, or host:port, as Node's error names it. */
  where?: string;
}

const CODES = new Set<string>(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface SocketError {
  code?: string;
  hostname?: string;
  address?: string;
  port?: number;
  cause?: unknown;
}

/** The unreachable endpoint behind an error (its own code or a cause's), if that is what it is. */
export function unreachableEndpoint(error: unknown): UnreachableEndpoint | undefined {
  let current = error as SocketError | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (current.code && CODES.has(current.code)) {
      const where = current.hostname ?? (current.address ? `${current.address}${current.port ? `:${current.port}` : ''}` : undefined);
      return { code: current.code as UnreachableEndpoint['code'], where };
    }
    current = current.cause as SocketError | undefined;
  }
  // An error from another realm (a VM context) reaches the SDK's retry as a plain copy of its message.
  const quoted = /\b(?:connect|getaddrinfo) (ECONNREFUSED|ENOTFOUND|EAI_AGAIN) (\S+)/.exec(
    error instanceof Error ? error.message : String(error),
  );
  return quoted ? { code: quoted[1] as UnreachableEndpoint['code'], where: quoted[2] } : undefined;
}

/** What the settings point at, for the message: the endpoint variable if one is set, else the region's AWS host. */
export function describeUnreachable(endpoint: UnreachableEndpoint, env: NodeJS.ProcessEnv = process.env): string {
  const host = endpoint.where ? ` ${endpoint.where}` : '';
  const what =
    endpoint.code === 'ECONNREFUSED'
      ? `the connection to${host} was refused (ECONNREFUSED): nothing listens there`
      : endpoint.code === 'ENOTFOUND'
        ? `the host${host} does not resolve (ENOTFOUND)`
        : `the DNS lookup of${host} failed for now (EAI_AGAIN): the runner's DNS did not answer`;
  const override = Object.entries(env).find(([name, value]) => /^AWS_ENDPOINT_URL(_[A-Z_]+)?$/.test(name) && value);
  const settings = override
    ? `${override[0]} is ${override[1]}: check it, or unset it to use AWS's own endpoint for the region`
    : `the endpoint comes from the region (${env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "the 'region' input"}): check the 'region' input or AWS_REGION, and the runner's network`;
  return `Could not reach AWS: ${what}. The call was not retried. ${settings[0].toUpperCase()}${settings.slice(1)}.`;
}
