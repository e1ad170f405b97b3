import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on a loopback port standing in for a target: `/health` answers `healthStatus`,
 * `/slow?ms=N` answers after N ms, `/echo` answers 201 with the method, X-Forwarded-For and the body (and X-Forwarded-Port as
 * the header x-forwarded-port-seen),
 * anything else answers the target's name.
 */
export interface HttpTarget {
  name: string;
  port: number;
  healthStatus: number;
  served: number;
  close(): Promise<void>;
}

export async function startHttpTarget(name: string): Promise<HttpTarget> {
  const sockets = new Set<import('node:net').Socket>();
  const target: HttpTarget = { name, port: 0, healthStatus: 200, served: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') {
      res.writeHead(target.healthStatus).end();
      return;
    }
    target.served += 1;
    if (url.pathname === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        res
          .writeHead(201, { 'x-target': name, 'x-forwarded-port-seen': String(req.headers['x-forwarded-port'] ?? '') })
          .end(`${req.method} ${req.headers['x-forwarded-for']} ${Buffer.concat(chunks).toString()}`),
      );
      return;
    }
    const delay = Number(url.searchParams.get('ms') ?? 0);
    const timer = setTimeout(() => res.end(name), delay);
    res.on('close', () => clearTimeout(timer));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.port = (server.address() as AddressInfo).port;
  target.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return target;
}
