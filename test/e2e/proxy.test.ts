import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createService, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { startLocalProxy, type LocalProxy } from '../support/local-proxy';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { testCertificate, type TestCertificate } from '../support/tls-certificate';
import { useSandbox } from '../support/use-sandbox';

// A self-hosted runner behind a proxy, through the bundles: the sandbox and the other servers the steps talk to
// are named under .proxy-only.test, which only the proxy process resolves (test/support/proxy/server.mjs), so a
// step that went around the proxy would fail on DNS. AWS is reached over HTTPS through a TLS front whose
// certificate the step trusts through NODE_EXTRA_CA_CERTS, as a real AWS endpoint is reached: CONNECT tunnels.

const sandbox = useSandbox({ timeScale: 0.2 });
const SANDBOX_HOST = 'sandbox.proxy-only.test';
const REGISTRY_HOST = 'registry.proxy-only.test';
const APP_HOST = 'app.proxy-only.test';

let proxy: LocalProxy;
let certificate: TestCertificate;
let front: TlsServer;
let registry: HttpsServer;
let app: Server;
let frontPort: number;
let registryPort: number;
let appPort: number;

const listen = async <S extends Server | HttpsServer | TlsServer>(server: S): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const close = (server: Server | HttpsServer | TlsServer) => new Promise((resolve) => server.close(resolve));

beforeAll(async () => {
  proxy = await startLocalProxy();
  certificate = testCertificate();
  // TLS in front of the sandbox's plain-HTTP port: the step speaks HTTPS to "AWS", as it does on a runner.
  const sandboxPort = Number(new URL(sandbox.endpoint).port);
  front = createTlsServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const upstream = connect(sandboxPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const end = () => (socket.destroy(), upstream.destroy());
    socket.on('error', end);
    upstream.on('error', end);
  });
  frontPort = await listen(front);
  // A registry that has one image: HEAD /v2/team/api/manifests/1.0 answers 200 with its digest.
  registry = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    if (request.url !== '/v2/team/api/manifests/1.0') return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': `sha256:${'d'.repeat(64)}` })
      .end();
  });
  registryPort = await listen(registry);
  app = createServer((_, response) => response.end('{"status":"ok"}'));
  appPort = await listen(app);
  await createService(sandbox, { service: 'shop', image: `${REGISTRY}/shop:v1` });
  await waitForSteady(sandbox, 'prod', 'shop');
});
afterAll(async () => {
  await proxy?.stop();
  registry?.closeAllConnections();
  app?.closeAllConnections();
  await Promise.all([front, registry, app].filter(Boolean).map(close));
});

/** The sandbox behind HTTPS at a name only the proxy resolves, trusted as a real CA would be. */
const throughProxyEnv = (extra: Record<string, string> = {}) => ({
  ...sandbox.env(),
  AWS_ENDPOINT_URL: `https://${SANDBOX_HOST}:${frontPort}`,
  NODE_EXTRA_CA_CERTS: certificate.certFile,
  ...extra,
});

/** What the proxy carried during `run`. */
async function carried<T>(run: () => Promise<T>): Promise<[T, LocalProxy['requests']]> {
  const before = proxy.requests.length;
  const result = await run();
  return [result, proxy.requests.slice(before)];
}

const seconds = (run: ActionRun) => (run.finishedAt - run.startedAt) / 1000;

describe('AWS, registries and probes through HTTPS_PROXY / HTTP_PROXY', () => {
  test('deploy-ecs reaches AWS and the image registry only through HTTPS_PROXY, with CONNECT tunnels', async () => {
    const image = `${REGISTRY_HOST}:${registryPort}/team/api:1.0`;
    sandbox.script(image, { kind: 'healthy', startMs: 1000 });
    const callsBefore = sandbox.calls.length;
    const [run, requests] = await carried(() =>
      runBundledAction('deploy-ecs', { cluster: 'prod', service: 'shop', image }, { env: throughProxyEnv({ HTTPS_PROXY: proxy.url }) }),
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    // The pre-flight's manifest HEAD went through the proxy to a host only the proxy resolves.
    expect(run.log).toMatch(new RegExp(`Images exist +container "shop" runs ${image.replace(/\./g, '\\.')} \\(sha256:d+\\), found on`));
    expect(new Set(requests.map((request) => `${request.method} ${request.url}`))).toEqual(
      new Set([`CONNECT ${SANDBOX_HOST}:${frontPort}`, `CONNECT ${REGISTRY_HOST}:${registryPort}`]),
    );
    expect(sandbox.calls.slice(callsBefore).map((call) => call.operation)).toEqual(
      expect.arrayContaining(['RegisterTaskDefinition', 'UpdateService']),
    );
  });

  test('without the proxy the same endpoint does not resolve: the sandbox is reached through the proxy only', async () => {
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${REGISTRY}/shop:v3` },
      { env: throughProxyEnv() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        new RegExp(`^Could not reach AWS: (the host ${SANDBOX_HOST} does not resolve|the DNS lookup of ${SANDBOX_HOST} failed)`),
      ),
    ]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  test("verify-health's probe and its ECS reads go through HTTP_PROXY for http: URLs", async () => {
    const [run, requests] = await carried(() =>
      runBundledAction(
        'verify-health',
        { url: `http://${APP_HOST}:${appPort}/health`, cluster: 'prod', service: 'shop', interval: '0.2s', timeout: '30s' },
        { env: { ...sandbox.env(), AWS_ENDPOINT_URL: `http://${SANDBOX_HOST}:${new URL(sandbox.endpoint).port}`, HTTP_PROXY: proxy.url } },
      ),
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.healthy).toBe('true');
    expect(requests).toContainEqual({ method: 'GET', url: `http://${APP_HOST}:${appPort}/health`, authorized: false });
    expect(requests).toContainEqual({
      method: 'POST',
      url: `http://${SANDBOX_HOST}:${new URL(sandbox.endpoint).port}/`,
      authorized: false,
    });
    expect(requests.every((request) => request.url.includes('.proxy-only.test'))).toBe(true);
  });

  test('NO_PROXY sends the listed hosts around the proxy', async () => {
    const [run, requests] = await carried(() =>
      runBundledAction(
        'verify-health',
        { url: `http://127.0.0.1:${appPort}/health`, cluster: 'prod', service: 'shop', interval: '0.2s', timeout: '30s' },
        { env: { ...sandbox.env(), HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } },
      ),
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.healthy).toBe('true');
    expect(requests).toEqual([]);
  });
});

describe('a proxy that cannot carry the call', () => {
  test('a proxy that refuses connections fails the step on the first attempt, naming the proxy and not its password', async () => {
    const dead = createServer();
    const port = await listen(dead);
    await close(dead);
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${REGISTRY}/shop:v3` },
      { env: throughProxyEnv({ HTTPS_PROXY: `http://ops:hunter2-proxy@127.0.0.1:${port}` }), secrets: ['hunter2-proxy'] },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Could not reach AWS through the proxy http://127.0.0.1:${port} (HTTPS_PROXY): the connection to the proxy 127.0.0.1:${port} was refused (ECONNREFUSED): nothing listens there. The call was not retried. Check HTTPS_PROXY, or list the endpoint's host in NO_PROXY to reach it without the proxy.`,
    ]);
    expect(run.log).toContain('::add-mask::hunter2-proxy');
    expect(seconds(run)).toBeLessThan(10);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  test('a SOCKS proxy is refused before any call, naming the variable and not its password', async () => {
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${REGISTRY}/shop:v3` },
      { env: { ...sandbox.env(), ALL_PROXY: 'socks5://ops:socks-pw@127.0.0.1:1080' }, secrets: ['socks-pw'] },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      'ALL_PROXY is socks5://127.0.0.1:1080, a socks5 proxy: the suite speaks to HTTP proxies only (http:// or https://). Point ALL_PROXY at an HTTP proxy, or unset it.',
    ]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  describe('a proxy that wants credentials', () => {
    let guarded: LocalProxy;
    beforeAll(async () => {
      guarded = await startLocalProxy({ credentials: 'ops:s3cret-proxy-pw' });
    });
    afterAll(() => guarded?.stop());

    test('is given the credentials of the proxy URL, which the log masks', async () => {
      const run = await runBundledAction(
        'verify-health',
        { url: `http://${APP_HOST}:${appPort}/health`, cluster: 'prod', service: 'shop', interval: '0.2s', timeout: '30s' },
        { env: throughProxyEnv({ HTTPS_PROXY: guarded.url, HTTP_PROXY: guarded.url }), secrets: ['s3cret-proxy-pw'] },
      );

      expect(errorsOf(run)).toEqual([]);
      expect(run.outputs.healthy).toBe('true');
      expect(guarded.requests.length).toBeGreaterThan(1);
      expect(guarded.requests.every((request) => request.authorized)).toBe(true);
      expect(run.log).toContain('::add-mask::s3cret-proxy-pw');
    });

    test('refusing the tunnel (407) fails the step on the first attempt with its status and the host asked for', async () => {
      const url = guarded.url.replace('s3cret-proxy-pw', 'wrong-pw');
      const before = guarded.requests.length;
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster: 'prod', service: 'shop', image: `${REGISTRY}/shop:v3` },
        {
          env: throughProxyEnv({ HTTPS_PROXY: url }),
          secrets: ['wrong-pw'],
        },
      );

      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toEqual([
        `Could not reach AWS through the proxy http://127.0.0.1:${guarded.port} (HTTPS_PROXY): it answered 407 to CONNECT ${SANDBOX_HOST}:${frontPort}: allow the host on the proxy (407 means it wants credentials: user:password@ in the proxy URL). The call was not retried. Check HTTPS_PROXY, or list the endpoint's host in NO_PROXY to reach it without the proxy.`,
      ]);
      expect(guarded.requests.slice(before)).toHaveLength(1);
      expect(run.log).toContain('::add-mask::wrong-pw');
    });
  });
});
