import { describe, expect, test } from '@jest/globals';
import { secretMasks } from '../../packages/core/src/use-cases/build-push/secret-masks';
import { findLeaks } from '../support/secret-sweep';

// A secret file a Dockerfile's RUN step cats: BuildKit prints it line by line, each behind its step's prefix.
const KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
  'QyNTUxOQAAACDx0pV1kA7',
  '-----END OPENSSH PRIVATE KEY-----',
];
const content = `${KEY.join('\n')}\n`;
const buildLog = KEY.map((line) => `#8 0.213 ${line}`);
const logAfter = (masks: string[]) => ({
  lines: [...masks.map((mask) => `::add-mask::${mask.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`), ...buildLog],
  outputFile: '',
  summaryFile: '',
  githubRequests: [],
});

describe("a multi-line secret in a build's log", () => {
  test('with each line masked, no line of it shows (the runner masks what a log line holds whole)', () => {
    expect(findLeaks(logAfter(secretMasks(content)), KEY)).toEqual([]);
  });

  test('masked only as one value, as before, its lines show', () => {
    expect(findLeaks(logAfter([content]), KEY).map((leak) => leak.secret)).toEqual(KEY);
  });
});

describe('secretMasks', () => {
  test('a one-line value is masked as it is', () => {
    expect(secretMasks('ab1')).toEqual(['ab1']);
    expect(secretMasks('')).toEqual([]);
  });

  test('a multi-line value: each line trimmed, once, leaving out blank lines and structure shorter than 4 characters', () => {
    expect(secretMasks('{\r\n  "token": "t0ken-1",\r\n  "token": "t0ken-1",\r\n\r\n}\n')).toEqual(['"token": "t0ken-1",']);
  });
});
