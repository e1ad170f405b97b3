import * as http from 'node:http';
import * as https from 'node:https';
import { proxyAgentFor } from '../../common/proxy';

/** The parts of an answer the registry look-up reads. */
export interface RegistryAnswer {
  status: number;
  ok: boolean;
  header(name: string): string | undefined;
  text(): Promise<string>;
}

/** Enough for any manifest or index (the registry limits them to 4 MiB) and any token document. */
const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * One request with Node's http/https rather than fetch: fetch (undici inside Node) takes no http.Agent, and every
 * request of the suite goes through the same proxy agents (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, common/proxy.ts).
 * The body is read only when asked; the signal aborts the whole exchange.
 */
export function registryRequest(
  url: URL,
  { method, headers, signal }: { method: 'HEAD' | 'GET'; headers?: Record<string, string>; signal: AbortSignal },
): Promise<RegistryAnswer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method, headers, signal, agent: proxyAgentFor(url) }, (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const body = new Promise<string>((done, failed) => {
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > BODY_LIMIT) return response.destroy(new Error(`the answer of ${url.host} is larger than ${BODY_LIMIT} bytes`));
          chunks.push(chunk);
        });
        response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        response.on('error', failed);
      });
      // An unread body would hold the connection; a HEAD has none.
      body.catch(() => undefined);
      const status = response.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status < 300,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        text: () => body,
      });
    });
    request.on('error', reject);
    request.end();
  });
}
