import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';

// These tests rely on the guard the unit project installs (test/support/unit-setup.ts), not on one of their own:
// they prove that every unit file runs with it on.
const REFUSED = 'unit tests must not reach the network: 192.0.2.1:80';

describe('the unit project refuses connections beyond loopback', () => {
  test('net.connect to TEST-NET-1 throws, naming host and port', () => {
    expect(() => net.connect(80, '192.0.2.1')).toThrow(REFUSED);
  });

  test('a socket connected by hand throws the same', () => {
    const socket = new net.Socket();
    expect(() => socket.connect({ host: '192.0.2.1', port: 80 })).toThrow(REFUSED);
    socket.destroy();
  });

  test('tls.connect throws before any handshake', () => {
    expect(() => tls.connect({ host: '192.0.2.1', port: 443 })).toThrow('unit tests must not reach the network: 192.0.2.1:443');
  });

  test('fetch, as the AWS SDK and health probes use HTTP, fails with the guard as its cause', async () => {
    const failure = await fetch('http://192.0.2.1:80/').then(
      () => undefined,
      (error: Error) => error,
    );
    expect(String((failure?.cause as Error | undefined)?.message)).toContain(REFUSED);
  });

  test('a DNS lookup of a name that is not localhost is refused', async () => {
    await expect(lookup('example.com')).rejects.toThrow('unit tests must not reach the network: example.com:dns');
  });
});

describe('loopback still works under the guard', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_, response) => response.end('local'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  test('a local server answers on 127.0.0.1', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('local');
  });

  test('and by the name localhost', async () => {
    const socket = net.connect(port, 'localhost');
    await new Promise<void>((connected, failed) => socket.once('connect', connected).once('error', failed));
    socket.destroy();
  });
});

test('a name under .invalid fails to resolve at once, as RFC 6761 asks of resolvers, without asking one', async () => {
  await expect(lookup('no-such-host.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'no-such-host.invalid' });
});
