/**
 * GetLogEvents tokens: `f/` or `b/` and a position in the stream, zero-padded to 56 digits like the real
 * ones. A forward token points just after the last event returned, so asking again with it when nothing
 * new arrived returns the same token, which is how a reader knows it reached the end (GetLogEvents, API reference).
 */
export type Direction = 'f' | 'b';

export function encodeToken(direction: Direction, position: number): string {
  return `${direction}/${String(position).padStart(56, '0')}`;
}

export function decodeToken(token: string): { direction: Direction; position: number } | undefined {
  const match = /^([fb])\/(\d{1,64})$/.exec(token);
  if (!match) return undefined;
  return { direction: match[1] as Direction, position: Number(match[2]) };
}
