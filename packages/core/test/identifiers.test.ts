import { describe, expect, test } from '@jest/globals';
import { isRevisionReference, nameFromArn, sameRevision, shortTaskDefinition, taskId } from '../src/common/identifiers';

describe('nameFromArn', () => {
  test.each([
    ['arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'prod'],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/web', 'web'],
    ['arn:aws:ecs:us-east-1:123456789012:service/web', 'web'],
    ['arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/gov', 'gov'],
    ['prod', 'prod'],
    ['my-service', 'my-service'],
  ])('%s -> %s', (value, name) => {
    expect(nameFromArn(value)).toBe(name);
  });
});

describe('shortTaskDefinition', () => {
  test.each<[string | undefined, string]>([
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', 'web:12'],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/api-migrate:3', 'api-migrate:3'],
    ['web:12', 'web:12'],
    [undefined, '(none)'],
    ['', '(none)'],
  ])('%s -> %s', (arn, short) => {
    expect(shortTaskDefinition(arn)).toBe(short);
  });
});

describe('taskId', () => {
  test.each<[string | undefined, string]>([
    ['arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9', '0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
    ['arn:aws:ecs:us-east-1:123456789012:task/0a1b2c3d4e5f60718293a4b5c6d7e8f9', '0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
    ['0a1b2c3d', '0a1b2c3d'],
    [undefined, '(unknown)'],
  ])('%s -> %s', (arn, id) => {
    expect(taskId(arn)).toBe(id);
  });
});

describe('isRevisionReference', () => {
  test.each<[string, boolean]>([
    ['web:12', true],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', true],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/api-migrate:3', true],
    ['web', false],
    ['web:0', false],
    ['web:latest', false],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web', false],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/web', false],
  ])('%s -> %s', (value, expected) => {
    expect(isRevisionReference(value)).toBe(expected);
  });
});

describe('sameRevision', () => {
  test.each<[string | undefined, string | undefined, boolean]>([
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', 'web:12', true],
    ['web:12', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', true],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:11', false],
    ['web:1', 'web:12', false],
    [undefined, 'web:12', false],
    [undefined, undefined, false],
  ])('%s and %s -> %s', (a, b, expected) => {
    expect(sameRevision(a, b)).toBe(expected);
  });
});
