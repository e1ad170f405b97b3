import { ConfigurationError } from '../common/errors';

/** The HTTP statuses that count as a passing answer, as ranges such as 200-299 or single codes. */
export interface ExpectedStatus {
  ranges: [number, number][];
  matches(status: number): boolean;
  text: string;
}

/**
 * Parses `200-299`, `200,204` or a mix (`200-299,304`); spaces and new lines may separate items too.
 * Each item must be a status code from 100 to 599 or a range of them, low end first.
 */
export function parseExpectedStatus(text: string, input = 'expected-status'): ExpectedStatus {
  const items = text.split(/[\s,]+/).filter((item) => item !== '');
  if (items.length === 0) throw malformed(text, input, 'it is empty');
  const ranges: [number, number][] = items.map((item) => {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(item);
    if (!match) throw malformed(text, input, `"${item}" is neither a status code nor a range`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < 100 || high > 599) throw malformed(text, input, `"${item}" is outside 100-599`);
    if (high < low) throw malformed(text, input, `"${item}" runs backwards`);
    return [low, high];
  });
  return {
    ranges,
    text: items.join(','),
    matches: (status) => ranges.some(([low, high]) => status >= low && status <= high),
  };
}

function malformed(text: string, input: string, why: string): ConfigurationError {
  return new ConfigurationError(
    `Input '${input}' must be status codes or ranges such as 200-299 or 200,204; got "${text}": ${why}.`,
    input,
  );
}
