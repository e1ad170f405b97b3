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

describe('readRollbackInputs with several services', () => {
  const readAny = (values: Record<string, string>) => readRollbackInputs(new Inputs(inputsFrom({ region: 'eu-west-1', ...values })));
  const entry = (service: string, previous: string) => ({
    cluster: 'prod',
    service,
    status: 'failed',
    'task-definition-arn': `arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}:3`,
    'previous-task-definition-arn': previous,
    'deployment-id': 'ecs-svc/1',
    'service-deployment-arn': '',
    'duration-seconds': 40,
    reason: '',
  });

  test('several service lines read as one request, each service to be given its target from its history', () => {
    expect(readAny({ cluster: 'prod', service: 'web\n  worker  \n\nscheduler\n' })).toEqual({
      cluster: 'prod',
      region: 'eu-west-1',
      services: [{ service: 'web' }, { service: 'worker' }, { service: 'scheduler' }],
      fromDeployOutput: false,
      reason: undefined,
      wait: true,
      timeoutMs: 10 * 60_000,
      timeoutGiven: false,
    });
  });

  test("each service's target is its services entry's previous revision; an empty one is left to the history", () => {
    const services = JSON.stringify([entry('worker', ''), entry('web', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2')]);

    expect(readAny({ cluster: 'prod', service: 'web\nworker', services })).toMatchObject({
      services: [{ service: 'web', taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2' }, { service: 'worker' }],
      fromDeployOutput: true,
    });
  });

  test('a services entry matches a service line given as an ARN', () => {
    const line = 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web';
    const services = JSON.stringify([entry('web', 'web:2'), entry('worker', 'worker:7')]);

    expect(readAny({ cluster: 'prod', service: `${line}\nworker`, services })).toMatchObject({
      services: [
        { service: line, taskDefinition: 'web:2' },
        { service: 'worker', taskDefinition: 'worker:7' },
      ],
    });
  });

  test("one service with services: its entry's previous revision is the target, chosen by the 'services' input", () => {
    const services = JSON.stringify([entry('web', 'web:2')]);

    expect(read({ cluster: 'prod', service: 'web', services })).toMatchObject({
      taskDefinition: 'web:2',
      targetSource: expect.objectContaining({ input: 'services' }),
    });
  });
});
