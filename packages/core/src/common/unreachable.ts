import { proxyAt, proxyOf } from './proxy';

/**
 * A request that found no one to talk to: the host does not resolve or nothing listens on its port. Retrying does
 * not change that within a step's lifetime (the SDK's 8 attempts only turned a typo into a minute of backoff), so
 * such an error is not retried and becomes one message naming the host and the settings that chose it.
 */
export interface UnreachableEndpoint {
  /** EPROXYREFUSED: the proxy answered CONNECT with a refusal (403, 407...). */
  code: 'ECONNREFUSED' | 'ENOTFOUND' | 'EAI_AGAIN' | 'EPROXYREFUSED';
  /** host, or host:port, as Node's error names it; for EPROXYREFUSED the proxy's answer (its status and target). */
  where?: string;
  /** The proxy the request went through (without credentials) and the variable that chose it: what failed. */
  proxy?: { url: string; variable: string };
}

const CODES = new Set<string>(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EPROXYREFUSED']);

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
      const proxy = proxyOf(error);
      if (current.code === 'EPROXYREFUSED') {
        const refusal = current as { statusCode?: number; target?: string };
        return { code: 'EPROXYREFUSED', where: `it answered ${refusal.statusCode} to CONNECT ${refusal.target}`, proxy };
      }
      const where = current.hostname ?? (current.address ? `${current.address}${current.port ? `:${current.port}` : ''}` : undefined);
      return withProxy({ code: current.code as UnreachableEndpoint['code'], where }, proxy);
    }
    current = current.cause as SocketError | undefined;
  }
  // An error from another realm (a VM context) reaches the SDK's retry as a plain copy of its message.
  const quoted = /\b(?:connect|getaddrinfo) (ECONNREFUSED|ENOTFOUND|EAI_AGAIN) (\S+)/.exec(
    error instanceof Error ? error.message : String(error),
  );
  return quoted ? withProxy({ code: quoted[1] as UnreachableEndpoint['code'], where: quoted[2] }) : undefined;
}

/** The endpoint, with the proxy it was tagged with or, failing that, the configured proxy at its address. */
function withProxy(endpoint: UnreachableEndpoint, tagged?: UnreachableEndpoint['proxy']): UnreachableEndpoint {
  const proxy = tagged ?? proxyAt(endpoint.where);
  return proxy ? { ...endpoint, proxy } : endpoint;
}

/** What the settings point at, for the message: the endpoint variable if one is set, else the region's AWS host. */
export function describeUnreachable(endpoint: UnreachableEndpoint, env: NodeJS.ProcessEnv = process.env): string {
  if (endpoint.proxy) return describeUnreachableProxy(endpoint, endpoint.proxy);
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

/**
 * The proxy, not AWS, is what could not be reached or refused the tunnel: the message names the proxy (never its
 * credentials) and its variable, and how to go around it.
 */
function describeUnreachableProxy(endpoint: UnreachableEndpoint, proxy: { url: string; variable: string }): string {
  const host = endpoint.where ? ` ${endpoint.where}` : '';
  const what =
    endpoint.code === 'EPROXYREFUSED'
      ? `${endpoint.where ?? 'the proxy refused the tunnel'}: allow the host on the proxy (407 means it wants credentials: user:password@ in the proxy URL)`
      : endpoint.code === 'ECONNREFUSED'
        ? `the connection to the proxy${host} was refused (ECONNREFUSED): nothing listens there`
        : endpoint.code === 'ENOTFOUND'
          ? `the proxy's host${host} does not resolve (ENOTFOUND)`
          : `the DNS lookup of the proxy's host${host} failed for now (EAI_AGAIN)`;
  return `Could not reach AWS through the proxy ${proxy.url} (${proxy.variable}): ${what}. The call was not retried. Check ${proxy.variable}, or list the endpoint's host in NO_PROXY to reach it without the proxy.`;
}
