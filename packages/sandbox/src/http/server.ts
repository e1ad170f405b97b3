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
import { groupKey } from '../codedeploy/state';
import type { ApiCall } from '../types';
import { CONTROL_PREFIX, control } from './control';
import { faultError, type FaultInjector } from './faults';
import type { RateLimiter } from './rate-limits';
import { accessKeyOf, iamRequest, signingRegionOf, wrongRegion, type IamAuthorizer } from './iam';
import { IAM_CONTROL_PATH, iamControl } from './iam-control';
import { LAMBDA_HOOKS_CONTROL_PATH, lambdaHookControl } from './lambda-hook-control';
import { sendJsonError } from './protocols/aws-json';
import { protocolOf, serviceFor } from './registry';

export interface ServerOptions {
  ctx: Context;
  calls: ApiCall[];
  faults: FaultInjector;
  iam: IamAuthorizer;
  /** The API's throttling (ECS's documented buckets by default). */
  rates: RateLimiter;
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
  const { ctx, calls, faults, iam, rates } = options;
  /** The Lambda hooks registered over the control endpoint, by function ARN: their URLs. */
  const hookUrls = new Map<string, string>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent)
        sendJsonError(res, new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500), uuid());
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.url?.split('?')[0] === IAM_CONTROL_PATH) return iamControl(req, res, raw, iam);
    if (req.url?.split('?')[0] === LAMBDA_HOOKS_CONTROL_PATH) return lambdaHookControl(req, res, raw, ctx, hookUrls);
    if (req.url?.startsWith(CONTROL_PREFIX)) return control(req, res, raw, faults, calls);
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
    // A request signed for another region than the one the API is in: refused before it is authorized or run.
    const signedFor = signingRegionOf(req.headers.authorization);
    if (service.onlyRegion && signedFor !== undefined && signedFor !== service.onlyRegion) return fail(wrongRegion(signedFor));
    // Decoded before the faults are decided, since a rule may match the input; a body that does not decode
    // is still answered only when the call runs, after any fault.
    let input: unknown;
    let undecodable: unknown;
    try {
      input = protocol.decode(raw, req);
    } catch (error) {
      undecodable = error;
    }
    // Authorized before any fault, as AWS authorizes a request before it runs: a refusal does not depend on the seed.
    const needs = iamRequest(
      ctx.arns,
      service.service,
      service.iamPrefix,
      address.operation,
      input,
      {
        deployment: (id) => ctx.codedeploy.deployments.get(id),
        groupConfig: (application, group) => ctx.codedeploy.deploymentGroups.get(groupKey(application, group))?.deploymentConfigName,
      },
      (secretId) => {
        const found = ctx.secretsManager.find(secretId);
        return 'secret' in found ? found.secret.arn : undefined;
      },
    );
    const accessKey = accessKeyOf(req.headers.authorization);
    call.accessKeyId = accessKey;
    call.iamAction = needs.action;
    if (needs.also.length > 0) call.iamAlso = needs.also;
    const denied = iam.authorize(needs, accessKey);
    if (denied) {
      call.accessDenied = `${denied.action} on ${denied.resource}`;
      return fail(denied.error);
    }
    // Over the API's rate, as ECS throttles it: refused before it runs, whatever the faults would do.
    if (!rates.allows(service.service, address.operation)) {
      call.fault = 'throttle';
      return fail(
        faultError({ kind: 'error', code: 'ThrottlingException', message: 'Rate exceeded' }, call, service.iamPrefix, (kind) =>
          protocol.fault(service, kind),
        ),
      );
    }
    const { latencyMs, outcome } = faults.decide(call, input);
    if (latencyMs > 0) await new Promise<void>((resolve) => ctx.clock.afterReal(latencyMs, resolve));
    // A dropped connection: the socket is destroyed without an answer; the SDK sees a network error.
    const drop = () => void req.socket.destroy();
    if (outcome?.kind === 'drop' && outcome.when === 'before') return drop();
    if (outcome?.kind === 'error' || outcome?.kind === 'refuse')
      return fail(faultError(outcome, call, service.iamPrefix, (kind) => protocol.fault(service, kind)));
    // Armed before the operation runs: RunTask starts its tasks within the call.
    if (outcome?.kind === 'task-fails-to-start') faults.armStartFailure(outcome, input);
    if (outcome?.kind === 'failed-entry')
      ctx.events.armedEntryFailures.push({
        targetId: outcome.targetId,
        code: outcome.code ?? 'InternalFailure',
        message: outcome.message ?? 'An internal error occurred. Try again.',
      });

    try {
      if (undecodable) throw undecodable;
      // The protocol decodes the input shape the service's operations take (JSON object, awsQuery parameters).
      const result = await operation(ctx, input as never, { principal: iam.principal(accessKey) });
      if (outcome?.kind === 'drop') return drop();
      protocol.answer(res, service, address.operation, result, requestId);
    } catch (error) {
      if (outcome?.kind === 'drop') return drop();
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
