/** CodeDeploy's List calls take no page size: they answer up to 100 names and a nextToken for the rest (*unconfirmed* size). */
import type { Json } from '../ecs/state';
import { invalidNextToken } from './errors';

const PAGE = 100;

export function page<T>(items: T[], input: Json, key: string): Json {
  let start = 0;
  if (input.nextToken !== undefined) {
    start = typeof input.nextToken === 'string' ? Number(Buffer.from(input.nextToken, 'base64').toString()) : NaN;
    if (!Number.isInteger(start) || start < 0) throw invalidNextToken();
  }
  const next = start + PAGE < items.length ? Buffer.from(String(start + PAGE)).toString('base64') : undefined;
  return { [key]: items.slice(start, start + PAGE), ...(next ? { nextToken: next } : {}) };
}
