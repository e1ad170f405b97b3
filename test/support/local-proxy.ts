import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** One request the proxy was asked to carry: CONNECT host:port (an https: tunnel) or GET http://... (forwarded). */
export interface ProxiedRequest {
  method: string;
  url: string;
  /** The request carried Proxy-Authorization. */
  authorized: boolean;
}

export interface LocalProxy {
  /** http://127.0.0.1:<port>, or with user:password@ when started with credentials. */
  url: string;
  port: number;
  /** What went through it so far, in order. */
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts test/support/proxy/server.mjs (a real HTTP proxy, in a process of its own) and resolves once it listens.
 * Names under .proxy-only.test reach 127.0.0.1 through it and nothing else.
 */
export async function startLocalProxy({ credentials }: { credentials?: string } = {}): Promise<LocalProxy> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve('test/support/proxy/server.mjs'), ...(credentials ? ['--credentials', credentials] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const requests: ProxiedRequest[] = [];
  const port = await new Promise<number>((done, failed) => {
    let buffer = '';
    child.once('exit', (code) => failed(new Error(`the local proxy exited (${code}) before it listened`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as { listening?: number } & ProxiedRequest;
        if (message.listening) done(message.listening);
        else requests.push({ method: message.method, url: message.url, authorized: message.authorized });
      }
    });
  });
  const url = `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
