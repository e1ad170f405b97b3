/**
 * The socket of one listener: a local HTTP proxy on a loopback port. For each request it asks where to go
 * (the listener's rules and weights, then the chosen group's next routable target: elb/listeners) and keeps
 * count of the requests in flight per target so that draining can let them finish. Status codes are the
 * ALB's own: 503 with no target to route to, 502 when the target closes or refuses the connection, 504 when
 * it does not answer within the idle timeout (ALB user guide, "Troubleshoot your Application Load Balancers").
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TargetRecord } from './state';

/** The ALB's default idle timeout (load balancer attribute idle_timeout.timeout_seconds). */
const IDLE_TIMEOUT_MS = 60_000;

export interface ProxyHooks {
  /** The target a new request goes to; undefined when there is none. */
  route(req: IncomingMessage): TargetRecord | undefined;
  /** Called when a request to the target starts; returns a function the drain timeout may call to cut it. */
  begin(target: TargetRecord, cut: () => void): () => void;
}

/** Hop-by-hop headers (RFC 9110, 7.6.1) belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>\n`;
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Server: 'awselb/2.0' });
  res.end(body);
}

export class ListenerProxy {
  private server?: Server;
  port = 0;

  /**
   * `listenerPort` answers the port the API names (80, 8080; ModifyListener may change it): X-Forwarded-Port carries
   * it, since on an ALB it is "the destination port that the client used to connect to the load balancer" (ALB user
   * guide, "HTTP headers and Application Load Balancers"): the listener's port, never this stand-in's ephemeral socket.
   */
  constructor(
    private readonly hooks: ProxyHooks,
    private readonly listenerPort: () => number,
  ) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const target = this.hooks.route(req);
    if (!target) {
      req.resume();
      return answer(res, 503, 'Service Temporarily Unavailable');
    }
    let finished = false;
    const upstream = request(
      {
        host: target.id,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...endToEnd(req.headers),
          connection: 'close',
          'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
          'x-forwarded-proto': 'http',
          'x-forwarded-port': String(this.listenerPort()),
        },
        // One connection per request: a reused connection to a process that has since exited would fail
        // for a reason no real load balancer would show.
        agent: false,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, endToEnd(response.headers));
        response.pipe(res);
        response.on('error', () => res.destroy());
      },
    );
    const end = this.hooks.begin(target, () => {
      upstream.destroy();
      if (!finished) answer(res, 502, 'Bad Gateway');
    });
    const close = () => {
      if (finished) return;
      finished = true;
      // A client that gave up takes its request to the target down with it.
      if (!res.writableFinished) upstream.destroy();
      end();
    };
    res.on('close', close);
    upstream.setTimeout(IDLE_TIMEOUT_MS, () => {
      upstream.destroy();
      answer(res, 504, 'Gateway Time-out');
      close();
    });
    upstream.on('error', () => {
      answer(res, 502, 'Bad Gateway');
      close();
    });
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
