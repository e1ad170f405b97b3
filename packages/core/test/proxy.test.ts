import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { proxyCredentials, proxyFor, proxyVariableProblem, withoutCredentials } from '../src/common/proxy';
import { httpProbe } from '../src/health/http-probe';
import { startLocalProxy, type LocalProxy } from '../../../test/support/local-proxy';
import { testCertificate } from '../../../test/support/tls-certificate';

// The proxy variables are process-wide, as on a runner: each test sets what it needs and the rest is restored.
const NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
function setProxyEnv(values: Record<string, string>) {
  for (const name of NAMES) delete process.env[name];
  Object.assign(process.env, values);
}
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('which URLs go through the proxy (proxy-from-env, as documented in the README)', () => {
  const PROXY = 'http://proxy.corp:3128';
  test.each<[string, Record<string, string>, string, string | undefined]>([
    ['https: takes HTTPS_PROXY', { HTTPS_PROXY: PROXY }, 'https://ecs.us-east-1.amazonaws.com/', PROXY],
    ['http: does not take HTTPS_PROXY', { HTTPS_PROXY: PROXY }, 'http://10.0.0.5/health', undefined],
    ['http: takes HTTP_PROXY', { HTTP_PROXY: PROXY }, 'http://app.internal/health', PROXY],
    ['the lower-case form', { https_proxy: PROXY }, 'https://ecs.us-east-1.amazonaws.com/', PROXY],
    ['the lower-case form wins', { https_proxy: PROXY, HTTPS_PROXY: 'http://other:1' }, 'https://ecr.eu-west-1.amazonaws.com/', PROXY],
    ['ALL_PROXY is the fallback', { ALL_PROXY: PROXY }, 'https://ecs.us-east-1.amazonaws.com/', PROXY],
    ['a proxy without a scheme is http://, as curl reads it', { HTTPS_PROXY: 'proxy.corp:3128' }, 'https://a.example/', PROXY],
    ['NO_PROXY * bypasses everything', { HTTPS_PROXY: PROXY, NO_PROXY: '*' }, 'https://ecs.us-east-1.amazonaws.com/', undefined],
    [
      'NO_PROXY host: that host',
      { HTTPS_PROXY: PROXY, NO_PROXY: 'ecs.us-east-1.amazonaws.com' },
      'https://ecs.us-east-1.amazonaws.com/',
      undefined,
    ],
    ['NO_PROXY host: not its subdomains', { HTTPS_PROXY: PROXY, NO_PROXY: 'amazonaws.com' }, 'https://ecs.us-east-1.amazonaws.com/', PROXY],
    [
      'NO_PROXY .domain: every host under it',
      { HTTPS_PROXY: PROXY, NO_PROXY: '.amazonaws.com' },
      'https://ecs.us-east-1.amazonaws.com/',
      undefined,
    ],
    [
      'NO_PROXY *.domain: the same',
      { HTTPS_PROXY: PROXY, NO_PROXY: '*.amazonaws.com' },
      'https://logs.us-east-1.amazonaws.com/',
      undefined,
    ],
    ['NO_PROXY host:port: that port only', { HTTP_PROXY: PROXY, NO_PROXY: 'app.internal:8080' }, 'http://app.internal:8080/', undefined],
    [
      'NO_PROXY host:port: another port is proxied',
      { HTTP_PROXY: PROXY, NO_PROXY: 'app.internal:8080' },
      'http://app.internal:9090/',
      PROXY,
    ],
    ['NO_PROXY host:port: the default port counts', { HTTPS_PROXY: PROXY, NO_PROXY: 'a.example:443' }, 'https://a.example/', undefined],
    [
      'NO_PROXY lists are comma or space separated',
      { HTTP_PROXY: PROXY, NO_PROXY: 'x.example, app.internal y.example' },
      'http://app.internal/',
      undefined,
    ],
    ['loopback is proxied unless listed', { HTTP_PROXY: PROXY }, 'http://127.0.0.1:8080/', PROXY],
    ['loopback listed', { HTTP_PROXY: PROXY, NO_PROXY: 'localhost,127.0.0.1' }, 'http://127.0.0.1:8080/', undefined],
    ['no variable, no proxy', {}, 'https://ecs.us-east-1.amazonaws.com/', undefined],
  ])('%s', (_, env, url, expected) => {
    setProxyEnv(env);
    expect(proxyFor(url)?.proxy).toBe(expected);
  });

  test('the variable that chose the proxy is named', () => {
    setProxyEnv({ https_proxy: PROXY, HTTP_PROXY: 'http://other:1' });
    expect(proxyFor('https://a.example/')?.variable).toBe('https_proxy');
    expect(proxyFor('http://a.example/')?.variable).toBe('HTTP_PROXY');
  });
});

describe('proxy credentials', () => {
  test('the URL is shown without them', () => {
    expect(withoutCredentials('http://deploy:s3cr%40t@proxy.corp:3128')).toBe('http://proxy.corp:3128');
  });

  test('the password, user:password and the URL are masked, encoded and decoded', () => {
    expect(proxyCredentials({ HTTPS_PROXY: 'http://deploy:s3cr%40t@proxy.corp:3128', NO_PROXY: 'x' }).sort()).toEqual(
      ['deploy:s3cr%40t', 'http://deploy:s3cr%40t@proxy.corp:3128', 's3cr%40t', 's3cr@t'].sort(),
    );
  });

  test('a proxy without credentials has nothing to mask', () => {
    expect(proxyCredentials({ HTTPS_PROXY: 'http://proxy.corp:3128' })).toEqual([]);
  });
});

describe('proxyVariableProblem', () => {
  test.each<[string, Record<string, string>, string | undefined]>([
    ['an http proxy', { HTTPS_PROXY: 'http://proxy.corp:3128' }, undefined],
    ['host:port alone', { HTTPS_PROXY: 'proxy.corp:3128' }, undefined],
    [
      'a SOCKS proxy',
      { ALL_PROXY: 'socks5://u:p@proxy.corp:1080' },
      'ALL_PROXY is socks5://proxy.corp:1080, a socks5 proxy: the suite speaks to HTTP proxies only (http:// or https://). Point ALL_PROXY at an HTTP proxy, or unset it.',
    ],
    [
      'not a URL',
      { http_proxy: 'http://' },
      'http_proxy is not a proxy URL: set it to one such as http://proxy.example.com:3128 (user:password@ before the host if the proxy needs them), or unset it.',
    ],
  ])('%s', (_, env, expected) => {
    expect(proxyVariableProblem(env)).toBe(expected);
  });
});

describe("verify-health's probe through a real proxy", () => {
  let proxy: LocalProxy;
  let app: Server;
  let tlsApp: TlsServer;
  let port: number;
  let tlsPort: number;
  beforeAll(async () => {
    proxy = await startLocalProxy();
    app = createServer((_, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
    port = (app.address() as AddressInfo).port;
    const certificate = testCertificate();
    tlsApp = createTlsServer({ key: certificate.key, cert: certificate.cert }, (_, res) => res.end('ok'));
    await new Promise<void>((done) => tlsApp.listen(0, '127.0.0.1', done));
    tlsPort = (tlsApp.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await proxy.stop();
    app.closeAllConnections();
    tlsApp.closeAllConnections();
    await new Promise((done) => app.close(done));
    await new Promise((done) => tlsApp.close(done));
  });
  const probe = () => httpProbe({ headers: [], timeoutMs: 3000 });

  test('an http: URL is forwarded by HTTP_PROXY, to a host only the proxy resolves', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url });
    const before = proxy.requests.length;
    const answer = await probe()(`http://app.proxy-only.test:${port}/health`);
    expect(answer).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(proxy.requests.slice(before)).toEqual([{ method: 'GET', url: `http://app.proxy-only.test:${port}/health`, authorized: false }]);
  });

  test('a kept-alive connection to the proxy still sends the absolute URL, request after request', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url });
    const before = proxy.requests.length;
    const keptAlive = probe();
    for (let round = 0; round < 3; round++)
      expect(await keptAlive(`http://app.proxy-only.test:${port}/r${round}`)).toMatchObject({ status: 200 });
    expect(proxy.requests.slice(before).map((request) => request.url)).toEqual(
      [0, 1, 2].map((round) => `http://app.proxy-only.test:${port}/r${round}`),
    );
  });

  test('an https: URL is tunnelled by HTTPS_PROXY with CONNECT (and then verifies the certificate as usual)', async () => {
    setProxyEnv({ HTTPS_PROXY: proxy.url });
    const before = proxy.requests.length;
    const answer = await probe()(`https://app.proxy-only.test:${tlsPort}/`);
    expect(proxy.requests.slice(before)).toEqual([{ method: 'CONNECT', url: `app.proxy-only.test:${tlsPort}`, authorized: false }]);
    // The test's certificate is self-signed: the TLS handshake went through the tunnel to the server.
    expect(answer.error).toMatch(/^TLS failed with app\.proxy-only\.test:\d+: self-signed certificate/);
  });

  test('NO_PROXY sends the request directly', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    const before = proxy.requests.length;
    expect(await probe()(`http://127.0.0.1:${port}/`)).toMatchObject({ status: 200 });
    expect(proxy.requests.slice(before)).toEqual([]);
  });

  test('a proxy that refuses connections is named, not the URL host', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    setProxyEnv({ HTTP_PROXY: `http://ops:hunter2@127.0.0.1:${deadPort}` });
    const answer = await probe()(`http://app.proxy-only.test:${port}/`);
    expect(answer.error).toBe(
      `connection to the proxy http://127.0.0.1:${deadPort} (HTTP_PROXY) was refused (ECONNREFUSED): check HTTP_PROXY, or list the host in NO_PROXY`,
    );
  });
});
