/**
 * What the HTTP server knows about the services it emulates: each registers its wire protocol, the key that
 * protocol finds it by (the X-Amz-Target prefix of a JSON service, the Version of an awsQuery one) and its
 * operations (http/registry). A wire protocol reads a request's address, decodes the input and encodes
 * answers and errors in its own shape, so the server itself has no branch per protocol or per service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';
import type { AwsError } from '../errors';
import type { ApiCall } from '../types';

/**
 * An operation: the decoded input in, the result to encode out (or an AwsError thrown). Its input is typed
 * by the service (JSON object, awsQuery parameters), so the table holds it as taking `never`.
 */
export type Handler = (ctx: Context, input: never, caller: Caller) => unknown;

/** Who makes the call: the principal AWS names in a refusal (ECR's cross-account checks name it too). */
export interface Caller {
  principal: string;
}

interface Registered {
  service: ApiCall['service'];
  /** The service's prefix in IAM actions (`elasticloadbalancing:DescribeTargetGroups`), for AccessDenied messages. */
  iamPrefix: string;
  /**
   * The one region whose signature the service answers, when its API is in one region only (ECR Public's, us-east-1),
   * whatever the sandbox's region.
   */
  onlyRegion?: string;
  /** Every operation the service answers, by the name its protocol reads from the request. */
  operations: Record<string, Handler>;
}

/** awsJson1_1 (ECS, Logs, ECR) and awsJson1_0 (CloudWatch): POST with `X-Amz-Target: <prefix>.<Operation>`. */
export interface JsonService extends Registered {
  protocol: 'awsJson';
  targetPrefix: string;
  serverError: string;
  /** awsJson1_0 services answer `application/x-amz-json-1.0`; the default is 1.1. */
  contentType?: string;
  /** awsQueryCompatible services also send the awsQuery error code in `x-amzn-query-error` (errors.ts). */
  queryCodes?: { throttle: string; serverError: string };
}

/** awsQuery (ELBv2): POST / with a form body `Action=<Operation>&Version=<version>&...`, answered in XML. */
export interface QueryService extends Registered {
  protocol: 'awsQuery';
  version: string;
  namespace: string;
}

/** One restJson operation: its HTTP method, its path with `{Label}`s, and the query names it reads (query name: member). */
export interface RestJsonRoute {
  method: string;
  path: string;
  operation: string;
  query?: Record<string, string>;
}

/** restJson1 (EventBridge Scheduler): the operation is the method and path, the input the body, labels and query. */
export interface RestJsonService extends Registered {
  protocol: 'restJson';
  /** The service's signing name, the key the protocol finds it by. */
  signingName: string;
  serverError: string;
  routes: RestJsonRoute[];
}

export type ServiceRegistration = JsonService | QueryService | RestJsonService;

/** Where a request is addressed: the registry key, the operation, and whether the request may call it at all. */
export interface Address {
  key: string | undefined;
  operation: string;
  /** False when the request's shape rules a call out even to a known service (a GET to an awsQuery endpoint). */
  callable: boolean;
}

export interface WireProtocol<S extends ServiceRegistration = ServiceRegistration> {
  name: S['protocol'];
  /** Whether the request is in this protocol's shape. */
  recognizes(req: IncomingMessage, body: string): boolean;
  address(req: IncomingMessage, body: string): Address;
  /** The key the protocol finds a registered service by. */
  key(service: S): string;
  /** Called once the service is known (or known to be unknown), before any answer. */
  prepare(res: ServerResponse, service: S | undefined): void;
  /** The answer to an operation or service nobody registered, as AWS gives it in this protocol. */
  unknown(address: Address): AwsError;
  /** The operation's input; throws the protocol's own AwsError when the body does not decode. restJson also reads the path and query. */
  decode(body: string, req?: IncomingMessage): unknown;
  /** The error an injected throttle or server error is answered with. */
  fault(service: S, kind: 'throttle' | 'server-error'): AwsError;
  answer(res: ServerResponse, service: S, operation: string, result: unknown, requestId: string): void;
  fail(res: ServerResponse, service: S | undefined, error: AwsError, requestId: string): void;
}
