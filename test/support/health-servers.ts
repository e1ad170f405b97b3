/**
 * Real HTTP servers for verify-health's end-to-end tests: the sample service as a process of its own, and small
 * in-process servers whose answers a test scripts (flapping, refusing then healthy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPOSITORY_ROOT, SAMPLE_SERVICE_DIR } from './sample-service';

export interface RunningServer {
  base: string;
  port: number;
  stop(): Promise<void>;
}

/** `node server.mjs` of the sample service on a port the OS picks, ready once it says it listens. */
export async function startSampleService(env: Record<string, string>): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [`${SAMPLE_SERVICE_DIR}/server.mjs`], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening on (\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    child.stderr?.on('data', (chunk) => (seen += String(chunk)));
    child.once('close', (code) => reject(new Error(`sample service exited ${code} before listening: ${seen}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** An in-process server on `port` (0: the OS picks one). */
export async function startLocalServer(handler: RequestListener, port = 0): Promise<RunningServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const bound = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${bound}`,
    port: bound,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A port nothing listens on right now: bound by the OS, then released. */
export async function freePort(): Promise<number> {
  const probe = await startLocalServer(() => undefined);
  await probe.stop();
  return probe.port;
}
