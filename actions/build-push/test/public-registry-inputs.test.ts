import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readBuildInputs } from '../src/inputs';

let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'public-inputs-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
});
// No region anywhere: ECR Public needs none (env has no AWS_REGION).
const read = (values: Record<string, string>) =>
  readBuildInputs(new Inputs(inputsFrom({ repository: 'web', registry: 'public', ...values })), workspace, {});

describe('registry: public', () => {
  test('is read with us-east-1 as its region, whatever the job says', () => {
    expect(read({})).toMatchObject({ registry: 'public', region: 'us-east-1', repository: 'web' });
  });

  test('takes region us-east-1 and scan-severity-threshold none, which change nothing', () => {
    expect(read({ region: 'us-east-1', 'scan-severity-threshold': 'none' })).toMatchObject({
      region: 'us-east-1',
      scanThreshold: undefined,
    });
  });

  test.each([
    ['a scan threshold', { 'scan-severity-threshold': 'high' }, 'scan-severity-threshold', 'ECR Public does not scan images'],
    [
      'lifecycle-keep-tagged',
      { 'lifecycle-keep-tagged': '10', 'create-repository': 'true' },
      'lifecycle-keep-tagged',
      'no lifecycle policies',
    ],
    [
      'lifecycle-expire-untagged-days',
      { 'lifecycle-expire-untagged-days': '7' },
      'lifecycle-expire-untagged-days',
      'no lifecycle policies',
    ],
    [
      'lifecycle-policy',
      { 'lifecycle-policy': 'lifecycle.json', 'create-repository': 'true' },
      'lifecycle-policy',
      'no lifecycle policies',
    ],
    ['registry-id', { 'registry-id': '210987654321' }, 'registry-id', "the caller's own public registry"],
    ['another region', { region: 'eu-west-1' }, 'region', 'the ECR Public API is only in us-east-1'],
    ['a name over 205 characters', { repository: `a${'b'.repeat(205)}` }, 'repository', 'at most 205'],
  ])('refuses %s, naming the input and why', (_name, values, input, why) => {
    let error: unknown;
    try {
      read(values);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe(input);
    expect((error as ConfigurationError).message).toContain(why);
  });

  test('refuses a public.ecr.aws URI as the repository, saying to give the name', () => {
    expect(() => read({ repository: 'public.ecr.aws/my-alias/web' })).toThrow(/not its ECR Public URI: set registry to public/);
  });

  test('refuses a registry other than private or public', () => {
    expect(() => read({ registry: 'gallery' })).toThrow("Input 'registry' must be one of private, public");
  });
});
