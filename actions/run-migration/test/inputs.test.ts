import { describe, expect, test } from '@jest/globals';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { definitionSource, readMigrationInputs } from '../src/inputs';

const read = (values: Record<string, string>) => readMigrationInputs(new Inputs(inputsFrom({ region: 'eu-west-1', ...values })));

describe('readMigrationInputs', () => {
  test('applies the contract defaults', () => {
    expect(read({ cluster: 'prod', service: 'web' })).toEqual({
      region: 'eu-west-1',
      cluster: 'prod',
      service: 'web',
      definition: { kind: 'service' },
      container: undefined,
      image: undefined,
      command: undefined,
      environment: [],
      tags: [],
      subnets: [],
      securityGroups: [],
      assignPublicIp: undefined,
      launchType: undefined,
      timeoutMs: 15 * 60_000,
      allowConcurrent: false,
      stopOnCancel: false,
      preflight: 'fail',
    });
  });

  test('reads every input', () => {
    const inputs = read({
      cluster: 'prod',
      'task-definition': 'migrations:7',
      container: 'app',
      image: 'repo/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      command: '["npm", "run", "migrate"]',
      environment: 'LOG_LEVEL=debug',
      subnets: 'subnet-a\nsubnet-b',
      'security-groups': 'sg-1',
      'assign-public-ip': 'true',
      'launch-type': 'fargate',
      timeout: '90s',
      'allow-concurrent': 'true',
      'stop-on-cancel': 'true',
    });
    expect(inputs).toMatchObject({
      definition: { kind: 'reference', reference: 'migrations:7' },
      command: ['npm', 'run', 'migrate'],
      environment: [{ name: 'LOG_LEVEL', value: 'debug' }],
      subnets: ['subnet-a', 'subnet-b'],
      securityGroups: ['sg-1'],
      assignPublicIp: 'ENABLED',
      launchType: 'FARGATE',
      timeoutMs: 90_000,
      allowConcurrent: true,
      stopOnCancel: true,
    });
  });

  test('shell words are a command too', () => {
    expect(read({ cluster: 'prod', service: 'web', command: "sh -c 'npm run migrate'" }).command).toEqual(['sh', '-c', 'npm run migrate']);
  });

  test.each([
    [{ service: 'web' }, /^Input 'cluster' is required/],
    [{ cluster: 'prod' }, /^Input 'task-definition' or 'service' is required/],
    [{ cluster: 'prod', service: 'web', command: '["npm"' }, /^Input 'command' starts with "\[" but is not valid JSON/],
    [{ cluster: 'prod', service: 'web', image: 'a b' }, /^Input 'image' must be one image reference/],
    [{ cluster: 'prod', service: 'web', 'assign-public-ip': 'maybe' }, /^Input 'assign-public-ip' must be one of/],
    [{ cluster: 'prod', service: 'web', 'stop-on-cancel': 'yes' }, /^Input 'stop-on-cancel' must be true or false/],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(ConfigurationError);
    expect(() => read(values)).toThrow(message);
  });
});

describe('definitionSource', () => {
  test.each([
    ['web', { kind: 'reference', reference: 'web' }],
    ['web:12', { kind: 'reference', reference: 'web:12' }],
    [
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12',
      { kind: 'reference', reference: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12' },
    ],
    ['deploy/task-definition.json', { kind: 'file', path: 'deploy/task-definition.json' }],
    ['td.JSON', { kind: 'file', path: 'td.JSON' }],
  ])('%s', (value, expected) => {
    expect(definitionSource(value, undefined)).toEqual(expected);
  });

  test('refuses an ARN of something else and a malformed revision', () => {
    expect(() => definitionSource('arn:aws:ecs:us-east-1:123456789012:service/prod/web', undefined)).toThrow(
      /is an ARN but not a task definition ARN/,
    );
    expect(() => definitionSource('web:0', undefined)).toThrow(/must be family\[:revision\]/);
  });
});
