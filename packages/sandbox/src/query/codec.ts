/**
 * The awsQuery wire format: a form-encoded request body (`Action=...&Version=...&Name=...`) whose nested
 * members are dotted keys and whose lists are `Key.member.N` (1-based), answered with XML in the service's
 * namespace. Parsing is generic so each operation reads its input as the API reference names it.
 */

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryInput = { [key: string]: QueryValue };

export interface QueryRequest {
  action: string;
  version: string;
  params: QueryInput;
}

/** Splits a form body into the action, the version and the nested parameters. */
export function parseQueryBody(body: string): QueryRequest {
  const form = new URLSearchParams(body);
  const tree: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    let node = tree;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]];
      node = (typeof next === 'object' && next !== null ? next : (node[path[i]] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return { action: form.get('Action') ?? '', version: form.get('Version') ?? '', params: normalize(tree) as QueryInput };
}

/** `{ member: { 1: a, 2: b } }` becomes `[a, b]`; an empty `Key=` stays '' (the SDK's empty list). */
function normalize(node: unknown): QueryValue {
  if (typeof node !== 'object' || node === null) return node as string;
  const record = node as Record<string, unknown>;
  if ('member' in record && typeof record.member === 'object' && record.member !== null) {
    return Object.entries(record.member as Record<string, unknown>)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, value]) => normalize(value));
  }
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, normalize(value)]));
}

/** A list parameter: absent and the SDK's empty-list encoding (`Key=`) are both []. */
export function listParam(value: QueryValue | undefined): QueryValue[] {
  return Array.isArray(value) ? value : [];
}

export function stringParam(value: QueryValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberParam(value: QueryValue | undefined): number | undefined {
  return typeof value === 'string' && value !== '' ? Number(value) : undefined;
}

export function booleanParam(value: QueryValue | undefined): boolean | undefined {
  return typeof value === 'string' && value !== '' ? value === 'true' : undefined;
}

/** A value to answer: objects become elements, arrays become `<member>` lists, undefined is left out. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${children(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function children(value: { [key: string]: XmlValue }): string {
  return Object.entries(value)
    .map(([key, child]) => element(key, child))
    .join('');
}

/** `<ActionResponse xmlns=...><ActionResult>...</ActionResult><ResponseMetadata>...</ResponseMetadata></ActionResponse>` */
export function queryResponse(namespace: string, action: string, result: { [key: string]: XmlValue }, requestId: string): string {
  return (
    `<${action}Response xmlns="${namespace}"><${action}Result>${children(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The awsQuery error shape: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryError(namespace: string, code: string, message: string, type: 'Sender' | 'Receiver', requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
