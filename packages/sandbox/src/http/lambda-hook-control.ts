/**
 * Lambda lifecycle hooks over the control endpoint, for the CLI sandbox (where Sandbox.registerLambdaHook is
 * out of reach): a hook's function becomes an HTTP endpoint that receives the hook event as a JSON POST and
 * answers the hook response as JSON ({ hookStatus, callBackDelay?, hookDetails? }); anything else (a status
 * other than 2xx, a body that is not JSON, no answer) counts as a failed invocation.
 *   GET    /_sandbox/lambda-hooks                  the function ARNs registered here, with their URLs
 *   POST   /_sandbox/lambda-hooks                  {"functionArn": "arn:aws:lambda:...", "url": "http://127.0.0.1:PORT/hook"}
 *   DELETE /_sandbox/lambda-hooks?functionArn=ARN  removes one
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';
import type { CodeDeployHookHandler, LambdaHookHandler, LambdaHookResponse } from '../types';

export const LAMBDA_HOOKS_CONTROL_PATH = '/_sandbox/lambda-hooks';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A CodeDeploy hook handler that POSTs the event to `url`; CodeDeploy ignores what a hook function returns. */
export function httpCodeDeployHook(url: string): CodeDeployHookHandler {
  return async (event) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
    await response.arrayBuffer();
  };
}

/** A handler that POSTs the event to `url` and answers what it returns. */
export function httpLambdaHook(url: string): LambdaHookHandler {
  return async (event) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
    if (!response.ok) throw new Error(`hook endpoint ${url} answered ${response.status}`);
    return (await response.json()) as LambdaHookResponse;
  };
}

export function lambdaHookControl(req: IncomingMessage, res: ServerResponse, body: string, ctx: Context, urls: Map<string, string>): void {
  if (req.method === 'GET') return reply(res, 200, Object.fromEntries(urls));
  if (req.method === 'DELETE') {
    const arn = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('functionArn');
    if (!arn) return reply(res, 400, { message: `DELETE ${LAMBDA_HOOKS_CONTROL_PATH}: give ?functionArn=<the function's ARN>` });
    if (urls.delete(arn)) {
      ctx.lambdaHooks.delete(arn);
      ctx.codeDeployHooks.delete(arn);
    }
    return reply(res, 200, {});
  }
  if (req.method !== 'POST' && req.method !== 'PUT')
    return reply(res, 405, { message: `${req.method} ${LAMBDA_HOOKS_CONTROL_PATH}: use GET, POST ({"functionArn", "url"}) or DELETE` });
  try {
    const given = JSON.parse(body) as { functionArn?: unknown; url?: unknown };
    if (typeof given.functionArn !== 'string' || !given.functionArn.startsWith('arn:'))
      throw new Error('functionArn must be the hook\'s hookTargetArn, an "arn:aws:lambda:..." ARN');
    if (typeof given.url !== 'string' || !/^https?:\/\//.test(given.url)) throw new Error('url must be an http:// or https:// URL');
    ctx.lambdaHooks.set(given.functionArn, httpLambdaHook(given.url));
    ctx.codeDeployHooks.set(given.functionArn, httpCodeDeployHook(given.url));
    urls.set(given.functionArn, given.url);
  } catch (error) {
    return reply(res, 400, { message: error instanceof Error ? error.message : String(error) });
  }
  reply(res, 200, Object.fromEntries(urls));
}
