/**
 * The awsJson1_1 and awsJson1_0 wire protocols: POST with `X-Amz-Target: <prefix>.<Operation>`, a JSON body,
 * a JSON answer. Errors are HTTP 400 (client) or 500 (server) with `__type` in the body and
 * `x-amzn-ErrorType` in the headers, which is what the SDK reads to pick the exception class.
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../../errors';
import type { JsonService, WireProtocol } from '../protocol';

const DEFAULT_CONTENT_TYPE = 'application/x-amz-json-1.1';

function send(res: ServerResponse, status: number, body: unknown, requestId: string, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': String(res.getHeader('Content-Type') ?? DEFAULT_CONTENT_TYPE),
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
  });
  res.end(text);
}

/** A JSON error answer; also what the server answers an unexpected failure with, whatever the protocol. */
export function sendJsonError(res: ServerResponse, error: AwsError, requestId: string, queryCompatible = true): void {
  const body: Record<string, unknown> = { __type: error.type };
  if (error.hasMessage) body.message = error.message;
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.type.replace(/^.*#/, '') };
  // Only awsQuery-compatible services (CloudWatch) send the awsQuery code; ECS, ECR and Logs do not.
  if (error.queryCode && queryCompatible)
    headers['x-amzn-query-error'] = `${error.queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
  send(res, error.status, body, requestId, headers);
}

function withQueryCode(error: AwsError, code: string | undefined): AwsError {
  error.queryCode = code;
  return error;
}

export const awsJson: WireProtocol<JsonService> = {
  name: 'awsJson',
  // The fallback: anything not in another protocol's shape is answered as a JSON service would.
  recognizes: () => true,
  address(req) {
    const target = String(req.headers['x-amz-target'] ?? '');
    const dot = target.lastIndexOf('.');
    return { key: req.method === 'POST' && dot > 0 ? target.slice(0, dot) : undefined, operation: target.slice(dot + 1), callable: true };
  },
  key: (service) => service.targetPrefix,
  // Set before any answer, so that even an unknown operation of the service comes in its content type.
  prepare(res, service) {
    if (service?.contentType) res.setHeader('Content-Type', service.contentType);
  },
  /** AWS answers a target it does not know with this coral error and no message. */
  unknown: () => new AwsError('com.amazon.coral.service#UnknownOperationException', undefined),
  decode(body) {
    try {
      const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return parsed;
    } catch {
      throw new AwsError('com.amazon.coral.service#SerializationException', undefined);
    }
  },
  fault(service, kind) {
    if (kind === 'throttle') return withQueryCode(new AwsError('ThrottlingException', 'Rate exceeded'), service.queryCodes?.throttle);
    return withQueryCode(
      new AwsError(service.serverError, 'Service Unavailable. Please try again later.', 500),
      service.queryCodes?.serverError,
    );
  },
  answer: (res, _service, _operation, result, requestId) => send(res, 200, result, requestId),
  fail: (res, service, error, requestId) => sendJsonError(res, error, requestId, service === undefined || service.queryCodes !== undefined),
};
