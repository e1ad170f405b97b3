import { describe, expect, test } from '@jest/globals';
import { parseImageReference } from '../src/common/image-reference';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageReference', () => {
  test.each<[string, object]>([
    ['nginx', { repository: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:v1',
      { repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web', tag: 'v1' },
    ],
    [`web@${DIGEST}`, { repository: 'web', tag: undefined, digest: DIGEST }],
    [`web:v1@${DIGEST}`, { repository: 'web', tag: 'v1', digest: DIGEST }],
    ['localhost:5000/web', { repository: 'localhost:5000/web', tag: undefined }],
    ['ghcr.io/Owner/web:1', { problem: 'the repository part must be lower case' }],
    ['my_app__v2/web-api:1', { repository: 'my_app__v2/web-api', tag: '1' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toMatchObject(expected);
  });

  test.each<[string, string]>([
    ['web 1', 'it holds a space or a line break: give exactly one image'],
    ['web:', 'the tag after ":" is empty'],
    ['web@sha256:abc', 'a sha256 digest is 64 lower-case hex digits'],
    ['web@0123', 'a digest follows @ as algorithm:hex, e.g. @sha256:<64 hex digits>'],
    ['Web:1', 'the repository part must be lower case'],
    ['web:-x', 'it is not registry/repository[:tag][@sha256:digest]'],
    ['web/:1', 'it is not registry/repository[:tag][@sha256:digest]'],
  ])('%s is refused: %s', (text, problem) => {
    expect(parseImageReference(text)).toEqual({ problem });
  });

  test.each<[string, string]>([
    ['${AGENT_IMAGE}', '${AGENT_IMAGE}'],
    ['$IMAGE', '$IMAGE'],
    ['<IMAGE1_NAME>', '<IMAGE1_NAME>'],
    ['{{ image }}', '{{ image }}'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/web:${TAG}', '${TAG}'],
  ])('%s is a placeholder nothing filled in', (text, placeholder) => {
    expect(parseImageReference(text)).toEqual({ problem: `${placeholder} is a placeholder nothing filled in`, placeholder });
  });
});
