/**
 * The sandbox's one endpoint. Each request is read in the wire protocol whose shape it has, routed to the
 * registered service and operation it names (http/registry), given the injected fault if any, and answered
 * in that protocol's shape: the server itself knows no service and no protocol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from '../context';
import { AwsError } from '../errors';
import { uuid } from '../ids';
import type { ApiCall, FaultOptions } from '../types';
import { injectFault, refusal } from './faults';
import { sendJsonError } from './protocols/aws-json';
import { protocolOf, serviceFor } from './registry';

export interface ServerOptions {
  ctx: Context;
  calls: ApiCall[];
  faults: () => FaultOptions | undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function listen(options: ServerOptions, port: number): Promise<{ server: Server; port: number }> {
  const { ctx, calls } = options;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent)
        sendJsonError(res, new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500), uuid());
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const requestId = uuid();
    const protocol = protocolOf(req, raw);
    const address = protocol.address(req, raw);
    const service = serviceFor(protocol, address.key);
    protocol.prepare(res, service);
    const fail = (error: AwsError) => protocol.fail(res, service, error, requestId);
    const operation =
      address.callable && service && Object.hasOwn(service.operations, address.operation)
        ? service.operations[address.operation]
        : undefined;
    if (!service || !operation) return fail(protocol.unknown(address));

    const call: ApiCall = { service: service.service, operation: address.operation, at: ctx.clock.now() };
    calls.push(call);
    const faults = options.faults();
    const fault = await injectFault(faults, call, (ms, fn) => ctx.clock.afterReal(ms, fn));
    if (fault === 'refused') return fail(refusal(faults, call, service.iamPrefix));
    if (fault === 'throttle' || fault === 'server-error') return fail(protocol.fault(service, fault));

    try {
      // The protocol decodes the input shape the service's operations take (JSON object, awsQuery parameters).
      protocol.answer(res, service, address.operation, await operation(ctx, protocol.decode(raw) as never), requestId);
    } catch (error) {
      if (error instanceof AwsError) return fail(error);
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
