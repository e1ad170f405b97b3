/**
 * The restJson1 wire protocol, as @aws-sdk/client-scheduler speaks it: the operation is the HTTP method and path
 * (`GET /schedules/{Name}?groupName=...`), the input is the JSON body's members beside the path's labels and the query
 * string's members, and the answer is JSON. Errors carry their status (404 for ResourceNotFoundException, 409 for
 * ConflictException, ...), the type in `x-amzn-ErrorType` and `{"Message": ...}` in the body, which is what the SDK
 * reads to pick the exception class.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../../errors';
import type { RestJsonRoute, RestJsonService, WireProtocol } from '../protocol';

function send(res: ServerResponse, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  res.end(text);
}

/** The route's labels as a pattern: `/schedules/{Name}` matches `/schedules/nightly` with Name = nightly. */
function matcher(route: RestJsonRoute): RegExp {
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

interface Match {
  service: RestJsonService;
  route?: RestJsonRoute;
  labels: Record<string, string>;
}

/** The restJson services' routes; a path one of them serves with another method is theirs, answered as unknown. */
export function restJson(services: RestJsonService[]): WireProtocol<RestJsonService> {
  const routes = services.flatMap((service) => service.routes.map((route) => ({ service, route, pattern: matcher(route) })));
  const match = (req: IncomingMessage): Match | undefined => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    let pathOnly: Match | undefined;
    for (const { service, route, pattern } of routes) {
      const found = pattern.exec(path);
      if (!found) continue;
      const labels = Object.fromEntries(Object.entries(found.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      if (route.method === req.method) return { service, route, labels };
      pathOnly ??= { service, labels };
    }
    return pathOnly;
  };
  return {
    name: 'restJson',
    recognizes: (req) => !req.headers['x-amz-target'] && match(req) !== undefined,
    address(req) {
      const found = match(req);
      return { key: found?.service.signingName, operation: found?.route?.operation ?? '', callable: found?.route !== undefined };
    },
    key: (service) => service.signingName,
    prepare: () => {},
    unknown: () => new AwsError('UnknownOperationException', undefined, 404),
    decode(body, req) {
      let parsed: unknown;
      try {
        parsed = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new AwsError('SerializationException', 'The request body is not a JSON object.');
      const found = req ? match(req) : undefined;
      const query = new URL(req?.url ?? '/', 'http://sandbox').searchParams;
      const fromQuery: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(found?.route?.query ?? {})) {
        const value = query.get(name);
        if (value !== null) fromQuery[member] = /^\d+$/.test(value) && member === 'MaxResults' ? Number(value) : value;
      }
      return { ...(parsed as Record<string, unknown>), ...fromQuery, ...(found?.labels ?? {}) };
    },
    fault(service, kind) {
      if (kind === 'throttle') return new AwsError('ThrottlingException', 'Rate exceeded', 429);
      return new AwsError(service.serverError, 'Unexpected server error.', 500);
    },
    answer: (res, _service, _operation, result, requestId) => send(res, 200, result, requestId),
    fail(res, _service, error, requestId) {
      // An IAM refusal and a throttle have their own statuses in restJson (403, 429); AwsError defaults to 400.
      const status = error.type === 'AccessDeniedException' ? 403 : error.type === 'ThrottlingException' ? 429 : error.status;
      const type = error.type.replace(/^.*#/, '');
      send(res, status, error.hasMessage ? { Message: error.message } : {}, requestId, { 'x-amzn-ErrorType': type });
    },
  };
}
