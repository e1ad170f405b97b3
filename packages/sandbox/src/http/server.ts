/**
 * The awsJson1_1 wire protocol: POST with `X-Amz-Target: <prefix>.<Operation>`, a JSON body, a JSON answer.
 * Errors are HTTP 400 (client) or 500 (server) with `__type` in the body and `x-amzn-ErrorType` in the
 * headers, which is what the SDK reads to pick the exception class.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from '../context';
import { AwsError } from '../errors';
import { cloudWatchOperations } from '../cloudwatch/alarms';
import { ecsOperations } from '../ecs/operations';
import { ecrOperations } from '../ecr/operations';
import { uuid } from '../ids';
import { logsOperations } from '../logs/operations';
import type { ApiCall, FaultOptions } from '../types';
import { injectFault, refusal } from './faults';
import { handleQuery, isQueryRequest } from './query-server';

const SERVICES = {
  AmazonEC2ContainerServiceV20141113: { service: 'ecs', operations: ecsOperations, serverError: 'ServerException' },
  Logs_20140328: { service: 'logs', operations: logsOperations, serverError: 'ServiceUnavailableException' },
} as const;
type Prefix = keyof typeof SERVICES;

interface JsonService {
  service: ApiCall['service'];
  operations: Record<string, unknown>;
  serverError: string;
  /** awsJson1_0 services answer `application/x-amz-json-1.0`; the default is 1.1. */
  contentType?: string;
  /** awsQueryCompatible services also send the awsQuery error code in `x-amzn-query-error` (errors.ts). */
  queryCodes?: { throttle: string; serverError: string };
}

/** CloudWatch speaks awsJson1_0 with the awsQueryCompatible trait (what @aws-sdk/client-cloudwatch sends). */
const JSON_SERVICES: Record<string, JsonService> = {
  ...SERVICES,
  GraniteServiceVersion20100801: {
    service: 'cloudwatch',
    operations: cloudWatchOperations,
    serverError: 'com.amazonaws.cloudwatch#InternalServiceFault',
    contentType: 'application/x-amz-json-1.0',
    queryCodes: { throttle: 'Throttling', serverError: 'InternalServiceError' },
  },
  AmazonEC2ContainerRegistry_V20150921: { service: 'ecr', operations: ecrOperations, serverError: 'ServerException' },
};

export interface ServerOptions {
  ctx: Context;
  calls: ApiCall[];
  faults: () => FaultOptions | undefined;
}

function send(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': String(res.getHeader('Content-Type') ?? 'application/x-amz-json-1.1'),
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': uuid(),
    ...extraHeaders,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: AwsError): void {
  const body: Record<string, unknown> = { __type: error.type };
  if (error.hasMessage) body.message = error.message;
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.type.replace(/^.*#/, '') };
  if (error.queryCode) headers['x-amzn-query-error'] = `${error.queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
  send(res, error.status, body, headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function withQueryCode(error: AwsError, code: string | undefined): AwsError {
  error.queryCode = code;
  return error;
}

/** AWS answers a target it does not know with this coral error and no message. */
const unknownOperation = () => new AwsError('com.amazon.coral.service#UnknownOperationException', undefined);

export async function listen(options: ServerOptions, port: number): Promise<{ server: Server; port: number }> {
  const { ctx, calls } = options;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent) sendError(res, new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (isQueryRequest(req, raw)) return handleQuery(options, req, res, raw);
    const target = String(req.headers['x-amz-target'] ?? '');
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot) as Prefix;
    const operationName = target.slice(dot + 1);
    const entry = req.method === 'POST' && dot > 0 && Object.hasOwn(JSON_SERVICES, prefix) ? JSON_SERVICES[prefix] : undefined;
    if (entry?.contentType) res.setHeader('Content-Type', entry.contentType);
    const known = entry && Object.hasOwn(entry.operations, operationName);
    const operation = known ? (entry.operations as Record<string, (c: Context, i: Record<string, unknown>) => unknown>)[operationName] : undefined;
    if (!entry || !operation) return sendError(res, unknownOperation());

    const call: ApiCall = { service: entry.service, operation: operationName, at: ctx.clock.now() };
    calls.push(call);
    const faults = options.faults();
    const fault = await injectFault(faults, call, (ms, fn) => ctx.clock.afterReal(ms, fn));
    if (fault === 'refused') return sendError(res, refusal(faults, call));
    if (fault === 'throttle') return sendError(res, withQueryCode(new AwsError('ThrottlingException', 'Rate exceeded'), entry.queryCodes?.throttle));
    if (fault === 'server-error') {
      return sendError(res, withQueryCode(new AwsError(entry.serverError, 'Service Unavailable. Please try again later.', 500), entry.queryCodes?.serverError));
    }

    let input: Record<string, unknown>;
    try {
      const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return sendError(res, new AwsError('com.amazon.coral.service#SerializationException', undefined));
    }
    try {
      send(res, 200, await operation(ctx, input));
    } catch (error) {
      if (error instanceof AwsError) return sendError(res, error);
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
