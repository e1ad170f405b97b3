/**
 * The awsQuery wire protocol, as @aws-sdk/client-elastic-load-balancing-v2 speaks it: POST / with a
 * `application/x-www-form-urlencoded` body `Action=<Operation>&Version=2015-12-01&...`, answered with
 * `text/xml` in the service's namespace. Errors are `<ErrorResponse><Error><Type/><Code/><Message/>`;
 * the SDK picks the exception class from `Code`.
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../../errors';
import { parseQueryBody, queryError, queryResponse, type XmlValue } from '../../query/codec';
import type { QueryService, WireProtocol } from '../protocol';

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': requestId });
  res.end(xml);
}

/** An awsQuery protocol whose requests for no known version are answered in `fallback`'s namespace. */
export function awsQuery(fallback: QueryService): WireProtocol<QueryService> {
  return {
    name: 'awsQuery',
    /** A form body (the SDK always sets this content type) or a bare `Action=` body, and no X-Amz-Target. */
    recognizes(req, body) {
      if (req.headers['x-amz-target']) return false;
      const type = String(req.headers['content-type'] ?? '');
      return type.startsWith('application/x-www-form-urlencoded') || /^Action=/.test(body);
    },
    address(req, body) {
      const { action, version } = parseQueryBody(body);
      return { key: version, operation: action, callable: req.method === 'POST' };
    },
    key: (service) => service.version,
    prepare: () => {},
    // What an awsQuery service answers an action it does not have (Common Errors: InvalidAction).
    unknown: ({ key, operation }) =>
      new AwsError('InvalidAction', `Could not find operation ${operation || '(none)'} for version ${key || '(none)'}`),
    decode: (body) => parseQueryBody(body).params,
    fault(_service, kind) {
      if (kind === 'throttle') return new AwsError('Throttling', 'Rate exceeded');
      return new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
    },
    answer(res, service, operation, result, requestId) {
      sendXml(res, 200, queryResponse(service.namespace, operation, result as { [key: string]: XmlValue }, requestId), requestId);
    },
    fail(res, service, error, requestId) {
      const namespace = (service ?? fallback).namespace;
      // An IAM refusal is `AccessDenied`, HTTP 403, in awsQuery (the JSON services' AccessDeniedException).
      const denied = error.queryCode === 'AccessDenied';
      sendXml(
        res,
        denied ? 403 : error.status,
        queryError(namespace, denied ? 'AccessDenied' : error.type, error.message, error.status >= 500 ? 'Receiver' : 'Sender', requestId),
        requestId,
      );
    },
  };
}
