import { describe, expect, test } from '@jest/globals';
import { buildSummaryMarkdown, describeCache, formatBytes } from '../../../src/use-cases/build-push/summary';

describe('the job summary', () => {
  test.each([
    [undefined, undefined],
    [512, '512 B'],
    [2560, '2.5 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('formatBytes(%p) is %p', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  test.each([
    [{ cached: 0, steps: 0 }, 'no cacheable steps'],
    [{ cached: 2, steps: 5 }, '2 of 5 steps from cache'],
  ])('describeCache(%j)', (cache, expected) => {
    expect(describeCache(cache)).toBe(expected);
  });

  test('a build shows tags, digest, size, cache use and build time', () => {
    const markdown = buildSummaryMarkdown({
      image: 'reg/web@sha256:abc',
      digest: 'sha256:abc',
      references: ['reg/web:0123456789abcdef0123456789abcdef01234567', 'reg/web:0123456', 'reg/web:latest'],
      built: true,
      builder: 'buildah',
      sizeInBytes: 3 * 1024 * 1024,
      cache: { cached: 1, steps: 3 },
      buildMs: 12_345,
      scan: '0 findings, none at or above HIGH: passed',
    });
    expect(markdown.split('\n')).toEqual([
      '## Build and push reg/web',
      '',
      '|   |   |',
      '| --- | --- |',
      '| Image | `reg/web@sha256:abc` |',
      '| Digest | `sha256:abc` |',
      '| Tags | `0123456789abcdef0123456789abcdef01234567` `0123456` `latest` |',
      '| Built | yes, with buildah |',
      '| Size | 3.0 MiB |',
      '| Cache | 1 of 3 steps from cache |',
      '| Build time | 12.3s |',
      '| Scan | 0 findings, none at or above HIGH: passed |',
    ]);
  });

  test('a skipped build says why and has no cache or build time', () => {
    const markdown = buildSummaryMarkdown({
      image: 'reg/web@sha256:abc',
      digest: 'sha256:abc',
      references: ['reg/web:1'],
      built: false,
      sizeInBytes: 100,
    });
    expect(markdown).toContain('| Built | no: an image tagged with this commit already existed |');
    expect(markdown).toContain('| Cache | not needed |');
    expect(markdown).toContain('| Build time |   |');
  });
});
