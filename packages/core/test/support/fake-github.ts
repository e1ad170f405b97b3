import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, unknown>;
  /** When it arrived (Date.now()), to order it against other recorded calls. */
  at: number;
}

export type Answer = { status: number; body: unknown };

/**
 * A local HTTP server standing in for the GitHub REST API (reached through GITHUB_API_URL), so the real
 * Octokit client speaks over a real socket. It records every request and answers the deployment calls
 * the way GitHub documents them; `answer` overrides an answer to simulate refusals.
 */
export class FakeGitHub {
  /** The fakes listening now, so a run pointed at one (GITHUB_API_URL) can be swept for what it sent. */
  static readonly running = new Set<FakeGitHub>();
  readonly requests: RecordedRequest[] = [];
  private nextId = 1000;
  private deployments: { id: number; sha: string; environment: string }[] = [];
  private readonly createdIds = new Map<RecordedRequest, number>();
  private server?: Server;
  answer?: (request: RecordedRequest) => Answer | undefined;

  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const request: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname + url.search,
          authorization: req.headers.authorization,
          body,
          at: Date.now(),
        };
        this.requests.push(request);
        const { status, body: answer } = this.answer?.(request) ?? this.respond(request, url);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((ready) => this.server?.listen(0, '127.0.0.1', ready));
    FakeGitHub.running.add(this);
    return this;
  }

  async stop(): Promise<void> {
    FakeGitHub.running.delete(this);
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** Deployments created so far and the states posted to each, oldest first. */
  statusesOf(id: number): string[] {
    return this.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith(`/deployments/${id}/statuses`))
      .map((r) => r.body.state as string);
  }

  /** A Deployment recorded earlier (by another step), without a request of its own; returns its id. */
  record(sha: string, environment: string): number {
    const deployment = { id: this.nextId++, sha, environment };
    this.deployments.push(deployment);
    return deployment.id;
  }

  /** The id GitHub gave the Deployment a creation request made, in the order they were made. */
  idOf(creation: RecordedRequest): number {
    const id = this.createdIds.get(creation);
    if (id === undefined) throw new Error(`No Deployment was created by ${creation.method} ${creation.path}`);
    return id;
  }

  created(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/deployments$/.test(r.path));
  }

  private respond(request: RecordedRequest, url: URL): Answer {
    const deployments = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(url.pathname);
    if (deployments && request.method === 'POST') {
      const deployment = { id: this.nextId++, sha: String(request.body.ref), environment: String(request.body.environment) };
      this.deployments.push(deployment);
      this.createdIds.set(request, deployment.id);
      return { status: 201, body: { ...deployment, ref: request.body.ref, task: request.body.task, payload: request.body.payload } };
    }
    if (deployments && request.method === 'GET') {
      const matching = this.deployments
        .filter((d) => d.sha === url.searchParams.get('sha') && d.environment === url.searchParams.get('environment'))
        .reverse();
      return { status: 200, body: matching.slice(0, Number(url.searchParams.get('per_page') ?? 30)) };
    }
    const statuses = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(url.pathname);
    if (statuses && request.method === 'POST') {
      if (!this.deployments.some((d) => d.id === Number(statuses[1]))) return { status: 404, body: { message: 'Not Found' } };
      return { status: 201, body: { id: this.nextId++, state: request.body.state } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
