import { describe, expect, test } from '@jest/globals';
import {
  cacheUseOfBuildxLog,
  cacheUseOfStepLog,
  digestFromBuildxMetadata,
  digestFromPushOutput,
} from '../../../src/use-cases/build-push/build-output';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('reading the pushed digest', () => {
  test.each([
    [`The push refers to repository [r/web]\nabc: Pushed\nv1: digest: ${DIGEST} size: 524\n`, DIGEST],
    ['v1: digest: sha256:short size: 1', undefined],
    ['nothing', undefined],
  ])('from docker push output %#', (output, expected) => {
    expect(digestFromPushOutput(output)).toBe(expected);
  });

  test.each([
    [JSON.stringify({ 'containerimage.digest': DIGEST, 'image.name': 'r/web:1' }), DIGEST],
    [JSON.stringify({ 'image.name': 'r/web:1' }), undefined],
    [JSON.stringify({ 'containerimage.digest': 'sha256:nope' }), undefined],
  ])('from buildx metadata %#', (json, expected) => {
    expect(digestFromBuildxMetadata(json)).toBe(expected);
  });
});

describe('cache use', () => {
  test.each([
    [
      'classic, all fresh',
      'Step 1/3 : FROM scratch\n ---> \nStep 2/3 : COPY a /\n ---> 1\nStep 3/3 : LABEL x=y\n ---> 2\n',
      { cached: 0, steps: 2 },
    ],
    [
      'classic, one cached',
      'Step 1/3 : FROM scratch\nStep 2/3 : COPY a /\n ---> Using cache\n ---> 1\nStep 3/3 : LABEL x=y\n ---> 2\n',
      { cached: 1, steps: 2 },
    ],
    [
      'buildah, all cached',
      'STEP 1/3: FROM scratch\nSTEP 2/3: COPY a /\n--> Using cache 1234\nSTEP 3/3: LABEL x=y\n--> Using cache 5678\n',
      { cached: 2, steps: 2 },
    ],
  ])('%s', (_name, output, expected) => {
    expect(cacheUseOfStepLog(output)).toEqual(expected);
  });

  test('buildx counts its stage steps and the ones it marks CACHED', () => {
    const log = [
      '#1 [internal] load build definition',
      '#4 [1/3] FROM docker.io/library/alpine',
      '#4 CACHED',
      '#5 [2/3] COPY a /',
      '#5 CACHED',
      '#6 [3/3] RUN make',
      '#6 DONE 2.1s',
      '#7 exporting to image',
    ].join('\n');
    expect(cacheUseOfBuildxLog(log)).toEqual({ cached: 2, steps: 3 });
  });
});
