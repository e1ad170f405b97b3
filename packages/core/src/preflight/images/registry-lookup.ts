import { errorMessage } from '../../common/errors';
import { proxyOf } from '../../common/proxy';
import type { RegistryImage } from './image-location';
import type { ImageOutcome } from './outcome';
import { architectureProblem, isIndex, MANIFEST_ACCEPT } from './platforms';
import { registryRequest } from './registry-request';

export interface RegistryLookupOptions {
  /** How long the whole look-up (challenge, token, manifest) may take before the registry counts as unreachable. */
  timeoutMs: number;
  /** The container's repositoryCredentials secret: the registry needs them, and pre-flight reads no secret. */
  credentialsParameter?: string;
}

/** Loopback registries speak plain HTTP, as Docker allows for 127.0.0.0/8 by default; every other host HTTPS. */
function baseUrl(host: string): string {
  const name = host.replace(/:\d+$/, '');
  const local = name === 'localhost' || name.startsWith('127.') || name === '[::1]';
  return `${local ? 'http' : 'https'}://${host}`;
}

/** The parameters of a `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge. */
function bearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined;
  const parameters: Record<string, string> = {};
  for (const [, key, value] of header.matchAll(/(\w+)="([^"]*)"/g)) parameters[key] = value;
  return parameters.realm ? parameters : undefined;
}

/**
 * The image exists in its registry, asked as `docker pull` asks (Docker Registry HTTP API v2, "Pulling an image
 * manifest" and "Token Authentication Specification"): `HEAD /v2/<name>/manifests/<reference>` with every manifest
 * type in Accept; a 401 with a Bearer challenge is answered with an anonymous token from its realm, then the HEAD
 * again. 200 is found, 404 is not. A registry that needs credentials, or does not answer within the timeout, is a
 * warning naming the host: whether the image is there is not known, and the deploy must not fail on that.
 */
export async function lookUpRegistryImage(
  image: RegistryImage,
  cpuArchitecture: string | undefined,
  options: RegistryLookupOptions,
): Promise<ImageOutcome> {
  if (options.credentialsParameter)
    return {
      status: 'warn',
      text: `runs ${image.image} from ${image.host} with repositoryCredentials, not checked: pre-flight reads no secret`,
    };
  const signal = AbortSignal.timeout(options.timeoutMs);
  const url = new URL(`${baseUrl(image.host)}/v2/${image.name}/manifests/${image.reference}`);
  const ask = (method: 'HEAD' | 'GET', token?: string) =>
    registryRequest(url, {
      method,
      signal,
      headers: { Accept: MANIFEST_ACCEPT.join(', '), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  try {
    let token: string | undefined;
    let response = await ask('HEAD');
    const challenge = response.status === 401 ? bearerChallenge(response.header('www-authenticate')) : undefined;
    if (challenge) {
      token = await anonymousToken(challenge, signal);
      if (token) response = await ask('HEAD', token);
    }
    if (response.status === 404)
      return {
        status: 'fail',
        text: `runs ${image.image}, which ${image.host} does not have (HEAD /v2/${image.name}/manifests/${image.reference} answered 404)`,
        fix: 'Push the image, or correct its name, tag or digest.',
      };
    if (response.status === 401 || response.status === 403)
      return {
        status: 'warn',
        text: `runs ${image.image}, not checked: ${image.host} answered ${response.status} to an anonymous request (it needs credentials)`,
      };
    if (!response.ok) return { status: 'warn', text: `runs ${image.image}, not checked: ${image.host} answered ${response.status}` };
    const digest = response.header('docker-content-digest');
    const found = `runs ${image.image}${digest ? ` (${digest})` : ''}, found on ${image.host}`;
    if (!isIndex(response.header('content-type'))) return { status: 'pass', text: found };
    // An index: its platforms are in its body, which HEAD does not return.
    const body = await (await ask('GET', token)).text();
    const problem = architectureProblem(body, cpuArchitecture);
    if (problem)
      return {
        status: 'fail',
        text: `runs ${image.image} from ${image.host}, but ${problem}`,
        fix: 'Use an image built for that architecture, or set runtimePlatform.cpuArchitecture to one it has.',
      };
    return { status: 'pass', text: `${found}, an index with the task's architecture` };
  } catch (error) {
    const why = signal.aborted ? `did not answer within ${options.timeoutMs / 1000}s` : `could not be reached (${causeOf(error)})`;
    return { status: 'warn', text: `runs ${image.image}, not checked: registry ${image.host} ${why}` };
  }
}

/** A token for anonymous pulls from the challenge's realm; undefined when the realm gives none. */
async function anonymousToken(challenge: Record<string, string>, signal: AbortSignal): Promise<string | undefined> {
  const realm = new URL(challenge.realm);
  if (challenge.service) realm.searchParams.set('service', challenge.service);
  if (challenge.scope) realm.searchParams.set('scope', challenge.scope);
  const response = await registryRequest(realm, { method: 'GET', signal });
  if (!response.ok) return undefined;
  const body = JSON.parse(await response.text()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/** Node's code for the failure (ENOTFOUND, ECONNREFUSED, a certificate's), and the proxy when it was the proxy's. */
function causeOf(error: unknown): string {
  const failure = error as { code?: string; message?: string; statusCode?: number; target?: string };
  const proxy = proxyOf(error);
  const reason =
    failure.code === 'EPROXYREFUSED'
      ? `answered ${failure.statusCode} to CONNECT ${failure.target}`
      : (failure.code ?? errorMessage(error));
  return proxy ? `through the proxy ${proxy.url} (${proxy.variable}): ${reason}` : reason;
}
