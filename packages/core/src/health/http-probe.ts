import * as http from 'node:http';
import * as https from 'node:https';
import { formatDuration } from '../common/duration';
import { proxyAgentFor, proxyOf, ProxyRefusedError } from '../common/proxy';
import type { RequestHeader } from './health-inputs';

/** One answer (or the lack of one) to one GET. */
export interface ProbeAnswer {
  url: string;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The start of the body, for body-contains and the summary. */
  body: string;
  latencyMs: number;
  /** Why no answer came: refused, unresolved host, TLS, timeout. */
  error?: string;
}

export type Probe = (url: string) => Promise<ProbeAnswer>;

export interface HttpProbeOptions {
  headers: RequestHeader[];
  timeoutMs: number;
  userAgent?: string;
}

/** Enough of a body to find a marker in a health document without reading a large page whole. */
const BODY_LIMIT = 64 * 1024;

/**
 * GETs with Node's own http/https: one timer covers connect, TLS, headers and body, so a server that accepts and
 * then stalls counts as no answer. Never rejects; every failure becomes `error` in words a person can act on.
 * Through the proxy HTTPS_PROXY / HTTP_PROXY name unless NO_PROXY lists the host (common/proxy.ts), as curl would.
 */
export function httpProbe(options: HttpProbeOptions): Probe {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'ecs-deploy-suite/verify-health', accept: '*/*' };
  for (const header of options.headers) headers[header.name.toLowerCase()] = header.value;
  return (url) =>
    new Promise((resolve) => {
      const started = performance.now();
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      let settled = false;
      const finish = (answer: Omit<ProbeAnswer, 'url' | 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ url, latencyMs: Math.round(performance.now() - started), ...answer });
      };
      const request = client.get(target, { headers, agent: proxyAgentFor(target) }, (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length >= BODY_LIMIT) {
            finish({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8', 0, BODY_LIMIT) });
            response.destroy();
          }
        });
        response.on('end', () => finish({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => finish({ status: response.statusCode, body: '', error: describeRequestError(error, target) }));
      });
      const timer = setTimeout(() => {
        finish({ body: '', error: `no complete answer within ${formatDuration(options.timeoutMs)} (request-timeout)` });
        request.destroy();
      }, options.timeoutMs);
      request.on('error', (error) => finish({ body: '', error: describeRequestError(error, target) }));
    });
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|EPROTO$|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Turns Node's network errors into what went wrong, naming the host and port. */
export function describeRequestError(error: Error & { code?: string }, target: URL): string {
  const proxy = proxyOf(error);
  if (proxy) return describeProxyError(error, proxy);
  const code = error.code ?? '';
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const where = `${target.hostname}:${port}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') {
    return `host "${target.hostname}" does not resolve (${code}): check the URL, or wait for the load balancer's DNS name to propagate`;
  }
  if (code === 'ECONNREFUSED') return `connection refused by ${where}: nothing is listening there (yet)`;
  if (code === 'ECONNRESET') return `connection to ${where} was reset before a complete answer`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable from this runner (${code})`;
  if (TLS_CODES.test(code) || /ssl|tls|certificate/i.test(error.message)) {
    return `TLS failed with ${where}: ${error.message}${code ? ` (${code})` : ''}`;
  }
  return `request to ${where} failed: ${error.message}${code ? ` (${code})` : ''}`;
}

/** The proxy failed, not the URL's host: name the proxy (never its credentials) and the variable that chose it. */
function describeProxyError(error: Error & { code?: string; hostname?: string }, proxy: { url: string; variable: string }): string {
  const via = `the proxy ${proxy.url} (${proxy.variable})`;
  const bypass = `check ${proxy.variable}, or list the host in NO_PROXY`;
  if (error instanceof ProxyRefusedError) return `${via} answered ${error.statusCode} to CONNECT ${error.target}: ${bypass}`;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return `connection to ${via} was refused (ECONNREFUSED): ${bypass}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of ${via} does not resolve (${code}): ${bypass}`;
  return `request through ${via} failed: ${error.message}${code ? ` (${code})` : ''}`;
}
