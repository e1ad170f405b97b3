/**
 * The IAM policy over the control endpoint, for the CLI sandbox (as /_sandbox/faults takes fault rules):
 *   GET    /_sandbox/iam   the policy in force ({} when every call is allowed)
 *   POST   /_sandbox/iam   replaces it: a JSON IamPolicy body, {"allow": ["ecs:Describe*"]} or a policy document
 *   DELETE /_sandbox/iam   allows every call again
 * `?accessKey=<key>` does the same for the requests signed with that access key only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IamPolicy } from '../types';
import type { IamAuthorizer } from './iam';

export const IAM_CONTROL_PATH = '/_sandbox/iam';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function iamControl(req: IncomingMessage, res: ServerResponse, body: string, iam: IamAuthorizer): void {
  const accessKey = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('accessKey') ?? undefined;
  if (req.method === 'GET') return reply(res, 200, iam.get(accessKey) ?? {});
  if (req.method === 'DELETE') {
    iam.set(undefined, accessKey);
    return reply(res, 200, {});
  }
  if (req.method !== 'POST' && req.method !== 'PUT')
    return reply(res, 405, { message: `${req.method} ${IAM_CONTROL_PATH}: use GET, POST (a JSON IAM policy) or DELETE` });
  try {
    const policy = JSON.parse(body) as IamPolicy;
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new Error('the body must be a JSON object');
    iam.set(policy, accessKey);
  } catch (error) {
    return reply(res, 400, { message: error instanceof Error ? error.message : String(error) });
  }
  reply(res, 200, iam.get(accessKey));
}
