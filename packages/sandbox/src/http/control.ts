/**
 * The sandbox's own control endpoint, beside the AWS APIs on the same port (as LocalStack's chaos API takes
 * fault rules): what a test or a person driving the CLI sandbox uses where it cannot call `sandbox.setFaults()`.
 *   GET    /_sandbox/faults   the fault options in force ({} when none)
 *   POST   /_sandbox/faults   replaces them: a JSON FaultOptions body, e.g. {"seed": 7, "rules": [...]}
 *   PATCH  /_sandbox/faults   adds the body's rules after those in force (the seed too, if it gives one)
 *   DELETE /_sandbox/faults   clears them
 *   GET    /_sandbox/calls    the call log, with the faults applied to each call
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCall, FaultOptions } from '../types';
import type { FaultInjector } from './faults';

export const CONTROL_PREFIX = '/_sandbox/';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function control(req: IncomingMessage, res: ServerResponse, body: string, faults: FaultInjector, calls: ApiCall[]): void {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/_sandbox/calls' && req.method === 'GET') return reply(res, 200, calls);
  if (path !== '/_sandbox/faults')
    return reply(res, 404, {
      message: `no ${path}: the sandbox answers /_sandbox/faults, /_sandbox/calls, /_sandbox/iam and /_sandbox/lambda-hooks`,
    });
  if (req.method === 'GET') return reply(res, 200, faults.get() ?? {});
  if (req.method === 'DELETE') {
    faults.set(undefined);
    return reply(res, 200, {});
  }
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH')
    return reply(res, 405, { message: `${req.method} /_sandbox/faults: use GET, POST or PATCH (a JSON body of fault options) or DELETE` });
  let options: FaultOptions;
  try {
    options = JSON.parse(body) as FaultOptions;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new Error('the body must be a JSON object');
    // As LocalStack's chaos API: POST replaces the rules, PATCH adds to them (and both restart the call counts).
    if (req.method === 'PATCH') {
      const current = faults.get() ?? {};
      options = { ...current, ...options, rules: [...(current.rules ?? []), ...(options.rules ?? [])] };
    }
    faults.set(options);
  } catch (error) {
    return reply(res, 400, { message: error instanceof Error ? error.message : String(error) });
  }
  reply(res, 200, faults.get());
}
