import * as http from 'node:http';
import * as https from 'node:https';
import type { AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms, as curl
 * and GitHub's runner read them). Which proxy a URL takes, if any, is proxy-from-env's answer (the library axios and
 * proxy-agent use): the lower-case variable wins over the upper-case one; an https: URL takes HTTPS_PROXY, an http:
 * URL HTTP_PROXY, either falls back to ALL_PROXY; NO_PROXY is a comma- or space-separated list where `*` bypasses
 * the proxy for everything, `host` only that exact host, `.domain` or `*.domain` every host ending so, and
 * `host:port` only that port. Loopback (localhost, 127.0.0.1) is not special: list it in NO_PROXY to reach it
 * directly. A value without a scheme (proxy.corp:3128) is http://, as curl reads it. The tunnels themselves are https-proxy-agent's (CONNECT) and http-proxy-agent's (absolute-URI requests).
 */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];

/** A proxy variable is set: without one, every client is built exactly as it is without this module. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => env[name]);
}

/** Each proxy variable set, with its value read as a URL (undefined when it does not parse; no scheme means http://). */
function* proxyVariables(env: NodeJS.ProcessEnv): Generator<{ name: string; value: string; url: URL | undefined }> {
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    let url: URL | undefined;
    try {
      url = new URL(value.includes('://') ? value : `http://${value}`);
    } catch {
      url = undefined;
    }
    yield { name, value, url };
  }
}

/**
 * What is wrong with a proxy variable, if anything: a value that is not a URL, or a scheme other than http: or
 * https: (a socks5:// proxy would be sent CONNECT and answer garbage). Named before any call, without credentials.
 */
export function proxyVariableProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const { name, value, url } of proxyVariables(env)) {
    if (!url || !url.hostname)
      return `${name} is not a proxy URL: set it to one such as http://proxy.example.com:3128 (user:password@ before the host if the proxy needs them), or unset it.`;
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `${name} is ${withoutCredentials(value)}, a ${url.protocol.replace(/:$/, '')} proxy: the suite speaks to HTTP proxies only (http:// or https://). Point ${name} at an HTTP proxy, or unset it.`;
  }
  return undefined;
}

/** The proxy URL as it may be printed: without the user name and password a proxy URL may carry. */
export function withoutCredentials(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(a proxy URL that does not parse)';
  }
}

/**
 * The secrets inside the proxy variables: each URL's password, its `user:password` and the whole URL, decoded and
 * as written, so the job log masks them wherever a library or an error message would print them.
 */
export function proxyCredentials(env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = new Set<string>();
  for (const { value, url } of proxyVariables(env)) {
    if (!url || (!url.password && !url.username)) continue;
    secrets.add(value);
    if (url.password) {
      secrets.add(url.password);
      secrets.add(decodeURIComponent(url.password));
      secrets.add(`${url.username}:${url.password}`);
    } else {
      secrets.add(url.username);
    }
  }
  return [...secrets].filter((secret) => secret.length > 0);
}

/** The proxy the URL goes through ('' for none), and the variable that chose it, for messages. */
export function proxyFor(url: string | URL, env: NodeJS.ProcessEnv = process.env): { proxy: string; variable: string } | undefined {
  const chosen = getProxyForUrl(typeof url === 'string' ? url : url.href);
  if (!chosen) return undefined;
  const scheme = new URL(typeof url === 'string' ? url : url.href).protocol.replace(/:$/, '');
  const candidates = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'];
  const variable = candidates.find((name) => env[name] && chosen.endsWith(env[name] as string)) ?? `${scheme.toUpperCase()}_PROXY`;
  // proxy-from-env gives a value without a scheme the target's (https://proxy:3128 for an https: URL, a TLS
  // handshake with a proxy that speaks plain HTTP); curl and GitHub's runner read it as http://, and so does this.
  const raw = env[variable];
  const proxy = raw && !raw.includes('://') ? `http://${raw}` : chosen;
  return { proxy, variable };
}

/**
 * An error on the way to the proxy or from it, carrying which proxy (without credentials) and which variable
 * chose it, so the step's message names the proxy to check rather than the AWS host it never reached.
 */
export interface ProxiedError {
  proxy?: { url: string; variable: string };
}

function tagged(error: unknown, proxy: { url: string; variable: string }): unknown {
  if (error && typeof error === 'object') (error as ProxiedError).proxy = proxy;
  return error;
}

/**
 * The configured proxy at `where` (host or host:port, as a socket error names it), if one is: an error that lost
 * its tag (copied across realms as its message) still names the proxy when its address is the proxy's.
 */
export function proxyAt(where: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; variable: string } | undefined {
  if (!where) return undefined;
  for (const { name, url } of proxyVariables(env)) {
    if (!url) continue;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    if (where === url.hostname || where === `${url.hostname}:${port}`) return { url: withoutCredentials(url.href), variable: name };
  }
  return undefined;
}

/** The proxy an error went through, if an agent of this module tagged it (its own or a cause's). */
export function proxyOf(error: unknown): { url: string; variable: string } | undefined {
  let current = error as (ProxiedError & { cause?: unknown }) | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (current.proxy) return current.proxy;
    current = current.cause as typeof current;
  }
  return undefined;
}

/**
 * The proxy answered CONNECT with something other than 200 (403: the host is not allowed; 407: it wants
 * credentials). https-proxy-agent would hand that answer to the caller as if the AWS host had sent it, and the SDK
 * would report an unknown AWS error; this names the proxy and its status instead. Not retried (see sdk-retry).
 */
export class ProxyRefusedError extends Error {
  readonly code = 'EPROXYREFUSED';
  constructor(
    readonly statusCode: number,
    readonly target: string,
    proxy: { url: string; variable: string },
  ) {
    super(`the proxy ${proxy.url} (${proxy.variable}) answered ${statusCode} to CONNECT ${target}`);
    this.name = 'ProxyRefusedError';
    (this as ProxiedError).proxy = proxy;
  }
}

type Chosen = { url: string; variable: string };

/** https-proxy-agent, with its errors tagged and a refused CONNECT thrown rather than replayed. */
class TunnellingAgent extends HttpsProxyAgent<string> {
  constructor(
    private readonly chosen: Chosen,
    proxy: string,
    options: http.AgentOptions,
  ) {
    super(proxy, options);
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts) {
    let status: number | undefined;
    req.once('proxyConnect', (connect: { statusCode: number }) => (status = connect.statusCode));
    try {
      const socket = await super.connect(req, opts);
      if (status !== undefined && status !== 200) {
        socket.destroy();
        throw new ProxyRefusedError(status, `${opts.host}:${opts.port}`, this.chosen);
      }
      return socket;
    } catch (error) {
      throw tagged(error, this.chosen);
    }
  }
}

/** http-proxy-agent (plain-HTTP targets: the request goes to the proxy with its absolute URL), errors tagged. */
class ForwardingAgent extends HttpProxyAgent<string> {
  constructor(
    private readonly chosen: Chosen,
    proxy: string,
    options: http.AgentOptions,
  ) {
    super(proxy, options);
  }

  override async connect(req: Parameters<HttpProxyAgent<string>['connect']>[0], opts: AgentConnectOpts) {
    try {
      return await super.connect(req, opts);
    } catch (error) {
      throw tagged(error, this.chosen);
    }
  }
}

/** Kept alive, as the SDK's own agents are. */
const AGENT_OPTIONS: http.AgentOptions = { keepAlive: true, maxSockets: 50 };

interface AgentWithAddRequest {
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void;
}

/**
 * Which agent carries one request: Node's own (a direct connection) when no proxy applies to the URL, else the
 * tunnel (https:) or forwarding (http:) agent of that proxy, one kept per proxy URL so connections are reused.
 */
class AgentChooser {
  private readonly direct = { http: new http.Agent(AGENT_OPTIONS), https: new https.Agent(AGENT_OPTIONS) };
  private readonly viaProxy = new Map<string, http.Agent>();

  agentFor(secure: boolean, options: http.RequestOptions, req: http.ClientRequest): AgentWithAddRequest {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = options.port ?? (secure ? 443 : 80);
    const url = `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${req.path}`;
    const chosen = proxyFor(url);
    if (!chosen) return (secure ? this.direct.https : this.direct.http) as unknown as AgentWithAddRequest;
    const key = `${secure}:${chosen.proxy}`;
    let agent = this.viaProxy.get(key);
    if (!agent) {
      const shown = { url: withoutCredentials(chosen.proxy), variable: chosen.variable };
      agent = secure ? new TunnellingAgent(shown, chosen.proxy, AGENT_OPTIONS) : new ForwardingAgent(shown, chosen.proxy, AGENT_OPTIONS);
      this.viaProxy.set(key, agent);
    }
    return agent as unknown as AgentWithAddRequest;
  }
}

/**
 * The agent a client is given: it hands each request, as the request is created (before its header is written),
 * to the agent that should carry it. Choosing there rather than in agent-base's connect() matters: a request
 * handed over later has its header already rendered, and http-proxy-agent's absolute URL and Proxy-Authorization
 * would then be missing on a reused connection. Sockets live in the chosen agents' pools, never in this one's.
 */
class DispatchingHttpAgent extends http.Agent {
  constructor(private readonly chooser: AgentChooser) {
    super(AGENT_OPTIONS);
  }

  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    this.chooser.agentFor(false, options, req).addRequest(req, options);
  }
}

class DispatchingHttpsAgent extends https.Agent {
  constructor(private readonly chooser: AgentChooser) {
    super(AGENT_OPTIONS);
  }

  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    this.chooser.agentFor(true, options, req).addRequest(req, options);
  }
}

export interface ProxyAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

let shared: ProxyAgents | undefined;

/**
 * The agents every request of the suite goes through when a proxy variable is set (AWS SDK clients, verify-health's
 * probes, pre-flight's registry look-ups), undefined when none is: then nothing changes. Kept alive, as the SDK's
 * own agents are.
 */
export function proxyAgents(env: NodeJS.ProcessEnv = process.env): ProxyAgents | undefined {
  if (!proxyConfigured(env)) return undefined;
  if (!shared) {
    const chooser = new AgentChooser();
    shared = { httpAgent: new DispatchingHttpAgent(chooser), httpsAgent: new DispatchingHttpsAgent(chooser) };
  }
  return shared;
}

/** The agent for one URL's protocol, or undefined for Node's default. */
export function proxyAgentFor(url: URL, env: NodeJS.ProcessEnv = process.env): http.Agent | undefined {
  const agents = proxyAgents(env);
  if (!agents) return undefined;
  return url.protocol === 'https:' ? agents.httpsAgent : agents.httpAgent;
}
