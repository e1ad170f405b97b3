import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpProbe } from '../src/health/http-probe';

// Real sockets on 127.0.0.1: the probe is Node's http/https, and what it says about failures is the point.
let server: Server;
let base: string;
let lastHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    if (req.url === '/stall') return; // accepts and never answers
    if (req.url === '/fail') {
      res.statusCode = 500;
      return res.end('{"error":"boom"}');
    }
    res.end('{"status":"ok","version":"v2"}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('httpProbe', () => {
  const probe = httpProbe({ headers: [{ name: 'Authorization', value: 'Bearer t0ken' }], timeoutMs: 300 });

  test('returns status, body and latency, sending the headers', async () => {
    const answer = await probe(`${base}/health`);
    expect(answer).toMatchObject({ status: 200, body: '{"status":"ok","version":"v2"}' });
    expect(answer.error).toBeUndefined();
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lastHeaders.authorization).toBe('Bearer t0ken');
    expect(lastHeaders['user-agent']).toMatch(/verify-health/);
  });

  test('a 500 is an answer, not an error', async () => {
    const answer = await probe(`${base}/fail`);
    expect(answer).toMatchObject({ status: 500, body: '{"error":"boom"}' });
    expect(answer.error).toBeUndefined();
  });

  test('a server that never answers times out at the request timeout', async () => {
    const answer = await probe(`${base}/stall`);
    expect(answer.status).toBeUndefined();
    expect(answer.error).toBe('no complete answer within 300ms (request-timeout)');
  });

  test('a closed port is refused, naming host and port', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect((await probe(`http://127.0.0.1:${port}/`)).error).toBe(
      `connection refused by 127.0.0.1:${port}: nothing is listening there (yet)`,
    );
  });

  test('https to a plain HTTP port is a TLS failure, said as such', async () => {
    const answer = await probe(`${base.replace('http:', 'https:')}/health`);
    expect(answer.error).toMatch(/^TLS failed with 127\.0\.0\.1:\d+: .+/);
  });

  test('a host that does not resolve is said to', async () => {
    const answer = await httpProbe({ headers: [], timeoutMs: 5_000 })('http://no-such-host.invalid/health');
    expect(answer.error).toMatch(/^host "no-such-host\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
  });
});
