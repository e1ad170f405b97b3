import { describe, expect, test } from '@jest/globals';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readRollbackInputs, type RollbackInputs } from '../src/inputs';

const read = (values: Record<string, string>) =>
  readRollbackInputs(new Inputs(inputsFrom({ region: 'eu-west-1', ...values }))) as RollbackInputs;

describe('readRollbackInputs', () => {
  test('applies the contract defaults', () => {
    expect(read({ cluster: 'prod', service: 'web' })).toEqual({
      cluster: 'prod',
      service: 'web',
      region: 'eu-west-1',
      taskDefinition: undefined,
      reason: undefined,
      wait: true,
      timeoutMs: 10 * 60_000,
      // Not given: a rollback that is a new deployment through a strategy watches through its bake too.
      timeoutGiven: false,
      // Not given: a CODE_DEPLOY service's group takes the console's names.
      codeDeploy: { application: undefined, deploymentGroup: undefined },
      auditTrail: undefined,
    });
  });

  test('the CodeDeploy application and deployment group are read for a CODE_DEPLOY service', () => {
    expect(
      read({ cluster: 'prod', service: 'web', 'codedeploy-application': 'shop', 'codedeploy-deployment-group': 'shop-web' }).codeDeploy,
    ).toEqual({ application: 'shop', deploymentGroup: 'shop-web' });
  });

  test('a timeout given is marked as given, so it is kept as asked', () => {
    expect(read({ cluster: 'prod', service: 'web', timeout: '10m' })).toMatchObject({ timeoutMs: 10 * 60_000, timeoutGiven: true });
  });

  test.each([
    'web:12',
    'my_app-2:1',
    'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12',
    'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web:3',
  ])('accepts the revision %s', (reference) => {
    // An ARN names its region: the step's must be the same (a task definition is found only in its own).
    const region = /^arn:[^:]+:ecs:([^:]+):/.exec(reference)?.[1] ?? 'eu-west-1';
    expect(read({ cluster: 'prod', service: 'web', 'task-definition': reference, region }).taskDefinition).toBe(reference);
  });

  test.each([
    ['web', /A family without a revision/],
    ['web:0', /got "web:0"/],
    ['web:latest', /got "web:latest"/],
    ['arn:aws:ecs:eu-west-1:123456789012:service/prod/web', /is the ARN of an ECS service, not of a task definition/],
    ['web:1 web:2', /must name one revision/],
  ])('refuses %s, naming the input', (reference, message) => {
    expect(() => read({ cluster: 'prod', service: 'web', 'task-definition': reference })).toThrow(ConfigurationError);
    expect(() => read({ cluster: 'prod', service: 'web', 'task-definition': reference })).toThrow(message);
  });

  test('reads wait, timeout and reason', () => {
    expect(read({ cluster: 'prod', service: 'web', wait: 'false', timeout: '90s', reason: 'verify-health failed' })).toEqual(
      expect.objectContaining({ wait: false, timeoutMs: 90_000, reason: 'verify-health failed' }),
    );
  });
});
