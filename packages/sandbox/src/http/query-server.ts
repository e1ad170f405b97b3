/**
 * The awsQuery wire protocol, as @aws-sdk/client-elastic-load-balancing-v2 speaks it: POST / with a
 * `application/x-www-form-urlencoded` body `Action=<Operation>&Version=2015-12-01&...`, answered with
 * `text/xml` in the service's namespace. Errors are `<ErrorResponse><Error><Type/><Code/><Message/>`;
 * the SDK picks the exception class from `Code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';
import { elbOperations, type ElbOperation } from '../elb/operations';
import { AwsError } from '../errors';
import { uuid } from '../ids';
import { parseQueryBody, queryError, queryResponse } from '../query/codec';
import type { ApiCall, FaultOptions } from '../types';
import { injectFault, refusal } from './faults';

const QUERY_SERVICES: Record<string, { service: ApiCall['service']; namespace: string; operations: Record<string, ElbOperation> }> = {
  '2015-12-01': { service: 'elbv2', namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/', operations: elbOperations },
};

/** A request in the awsQuery shape: a form body (the SDK always sets this content type) or a bare `Action=` body. */
export function isQueryRequest(req: IncomingMessage, body: string): boolean {
  if (req.headers['x-amz-target']) return false;
  const type = String(req.headers['content-type'] ?? '');
  return type.startsWith('application/x-www-form-urlencoded') || /^Action=/.test(body);
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': requestId });
  res.end(xml);
}

export async function handleQuery(
  options: { ctx: Context; calls: ApiCall[]; faults: () => FaultOptions | undefined },
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): Promise<void> {
  const { ctx } = options;
  const requestId = uuid();
  const { action, version, params } = parseQueryBody(body);
  const entry = QUERY_SERVICES[version];
  const namespace = entry?.namespace ?? QUERY_SERVICES['2015-12-01'].namespace;
  const fail = (error: AwsError) => sendXml(res, error.status, queryError(namespace, error.type, error.message, error.status >= 500 ? 'Receiver' : 'Sender', requestId), requestId);
  const operation = entry && Object.hasOwn(entry.operations, action) ? entry.operations[action] : undefined;
  // What an awsQuery service answers an action it does not have (Common Errors: InvalidAction).
  if (req.method !== 'POST' || !entry || !operation) return fail(new AwsError('InvalidAction', `Could not find operation ${action || '(none)'} for version ${version || '(none)'}`));

  const call: ApiCall = { service: entry.service, operation: action, at: ctx.clock.now() };
  options.calls.push(call);
  const faults = options.faults();
  const fault = await injectFault(faults, call, (ms, fn) => ctx.clock.afterReal(ms, fn));
  if (fault === 'refused') return fail(refusal(faults, call));
  if (fault === 'throttle') return fail(new AwsError('Throttling', 'Rate exceeded'));
  if (fault === 'server-error') return fail(new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503));
  try {
    sendXml(res, 200, queryResponse(namespace, action, await operation(ctx, params), requestId), requestId);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    throw error;
  }
}
