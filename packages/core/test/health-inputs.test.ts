import { describe, expect, test } from '@jest/globals';
import { parseExpectedStatus } from '../src/health/expected-status';
import { parseHealthUrls, parseRequestHeaders } from '../src/health/health-inputs';
import { LatencyWindow, percentile } from '../src/health/latency';

describe('parseExpectedStatus', () => {
  test.each([
    ['200-299', [200, 204, 299], [199, 300, 500]],
    ['200,204', [200, 204], [201, 299]],
    ['200-299, 304', [250, 304], [303, 305]],
    ['503', [503], [200]],
  ])('%s', (text, passing, failing) => {
    const expected = parseExpectedStatus(text);
    for (const status of passing) expect(expected.matches(status)).toBe(true);
    for (const status of failing) expect(expected.matches(status)).toBe(false);
  });

  test.each([
    ['2xx', /"2xx" is neither a status code nor a range/],
    ['299-200', /"299-200" runs backwards/],
    ['200-700', /"200-700" is outside 100-599/],
    [' ', /it is empty/],
  ])('refuses %j naming the input and what would be right', (text, why) => {
    expect(() => parseExpectedStatus(text)).toThrow(/^Input 'expected-status' must be status codes or ranges such as 200-299 or 200,204/);
    expect(() => parseExpectedStatus(text)).toThrow(why);
  });
});

describe('parseHealthUrls', () => {
  test('keeps absolute http and https URLs, normalised', () => {
    expect(parseHealthUrls(['https://example.com/health', 'http://127.0.0.1:8080'])).toEqual([
      'https://example.com/health',
      'http://127.0.0.1:8080/',
    ]);
  });

  test.each([
    ['example.com/health', /"example.com\/health" is not a URL/],
    ['/health', /"\/health" is not a URL/],
    ['ftp://example.com/', /must hold http:\/\/ or https:\/\/ URLs; "ftp:\/\/example.com\/" uses ftp/],
    ['http//example.com', /is not a URL/],
  ])('refuses %s', (line, message) => {
    expect(() => parseHealthUrls([line])).toThrow(/^Input 'url' must hold/);
    expect(() => parseHealthUrls([line])).toThrow(message);
  });
});

describe('parseRequestHeaders', () => {
  test('splits at the first colon and keeps colons in the value', () => {
    expect(parseRequestHeaders(['Authorization: Bearer a:b', 'X-Probe:1'])).toEqual([
      { name: 'Authorization', value: 'Bearer a:b' },
      { name: 'X-Probe', value: '1' },
    ]);
  });

  test('a line without a valid name is refused without printing the value', () => {
    expect(() => parseRequestHeaders(['Bearer s3cr3t-token'])).toThrow(/^Input 'headers' must hold "Name: value" lines/);
    expect(() => parseRequestHeaders(['Bearer s3cr3t-token'])).not.toThrow(/s3cr3t/);
    expect(() => parseRequestHeaders(['Bad Name: s3cr3t'])).not.toThrow(/s3cr3t/);
  });
});

describe('latency', () => {
  test('nearest-rank percentiles are observed values', () => {
    expect(percentile([], 95)).toBeUndefined();
    expect(percentile([5, 1, 3], 50)).toBe(3);
    const twenty = [...Array(19).fill(10), 900];
    expect(percentile(twenty, 95)).toBe(10);
    expect(percentile([...twenty, 900], 95)).toBe(900);
  });

  test('the window keeps only its last rounds and is judged from 20 answers', () => {
    const window = new LatencyWindow(10);
    for (let i = 0; i < 9; i++) window.add([10, 10]);
    expect(window.p95()).toBeUndefined();
    window.add([10, 500]);
    expect(window.p95()).toBe(10);
    window.add([600, 700]);
    expect(window.samples()).toHaveLength(20);
    expect(window.p95()).toBe(600);
  });
});
