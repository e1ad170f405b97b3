import { describe, expect, test } from '@jest/globals';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readDeployInputs, type DeployInputs } from '../src/inputs';

const read = (values: Record<string, string>) =>
  readDeployInputs(new Inputs(inputsFrom({ region: 'eu-west-1', ...values }))) as DeployInputs;

describe('readDeployInputs', () => {
  test('applies the contract defaults', () => {
    expect(read({ cluster: 'prod', service: 'web' })).toEqual({
      cluster: 'prod',
      service: 'web',
      region: 'eu-west-1',
      taskDefinitionFile: undefined,
      container: undefined,
      image: undefined,
      images: [],
      environment: [],
      secrets: [],
      tags: [],
      desiredCount: undefined,
      forceNewDeployment: false,
      wait: true,
      timeoutMs: 30 * 60_000,
      timeoutGiven: false,
      failedTasksThreshold: 3,
      preflight: 'fail',
    });
  });

  test('preflight: true stops on a failing check, warn warns, false leaves the checks out; anything else is refused', () => {
    expect(read({ cluster: 'prod', service: 'web', preflight: 'true' }).preflight).toBe('fail');
    expect(read({ cluster: 'prod', service: 'web', preflight: 'warn' }).preflight).toBe('warn');
    expect(read({ cluster: 'prod', service: 'web', preflight: 'false' }).preflight).toBe('off');
    expect(() => read({ cluster: 'prod', service: 'web', preflight: 'sometimes' })).toThrow(
      new ConfigurationError('Input \'preflight\' must be one of true, warn, false; got "sometimes".', 'preflight'),
    );
  });

  test('reads every input', () => {
    const inputs = read({
      cluster: 'prod',
      service: 'web',
      'task-definition': 'td.json',
      container: 'app',
      image: 'repo/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      images: 'envoy=envoyproxy/envoy:v1.32',
      environment: 'A=1\nB=x=y\nenvoy:C=z',
      secrets: 'DB=/prod/db',
      'desired-count': '4',
      'force-new-deployment': 'true',
      wait: 'false',
      timeout: '90s',
      'failed-tasks-threshold': '5',
    });
    expect(inputs).toMatchObject({
      taskDefinitionFile: 'td.json',
      container: 'app',
      image: 'repo/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      images: [{ container: 'envoy', image: 'envoyproxy/envoy:v1.32' }],
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x=y' },
        { container: 'envoy', name: 'C', value: 'z' },
      ],
      secrets: [{ name: 'DB', value: '/prod/db' }],
      desiredCount: 4,
      forceNewDeployment: true,
      wait: false,
      timeoutMs: 90_000,
      failedTasksThreshold: 5,
    });
  });

  test.each([
    [{ service: 'web' }, "Input 'cluster' is required"],
    [{ cluster: 'prod' }, "Input 'service' is required"],
    [{ cluster: 'prod', service: 'web', image: 'two words' }, "Input 'image' must be one image reference"],
    [
      { cluster: 'prod', service: 'web', 'failed-tasks-threshold': '0' },
      "Input 'failed-tasks-threshold' must be a whole number of at least 1",
    ],
    [{ cluster: 'prod', service: 'web', timeout: 'soon' }, "Input 'timeout' must be a duration"],
    [{ cluster: 'prod', service: 'web', region: 'moon-1' }, 'Input \'region\' is "moon-1", which is not an AWS region'],
  ])('%j is refused', (values, message) => {
    expect(() => read(values)).toThrow(ConfigurationError);
    expect(() => read(values)).toThrow(message);
  });

  test('reads the CodeDeploy inputs, and only those given', () => {
    expect(read({ cluster: 'prod', service: 'web' }).codeDeploy).toBeUndefined();
    expect(read({ cluster: 'prod', service: 'web', 'codedeploy-deployment-group': 'web-dg', appspec: 'appspec.yaml' }).codeDeploy).toEqual({
      deploymentGroup: 'web-dg',
      appSpecFile: 'appspec.yaml',
    });
    expect(read({ cluster: 'prod', service: 'web', 'codedeploy-deployment-id': ' d-A1B2C3D4E ' }).codeDeployDeploymentId).toBe(
      'd-A1B2C3D4E',
    );
  });

  test.each<[Record<string, string>, RegExp]>([
    [
      { 'codedeploy-deployment-id': 'd-A1B2C3D4E', appspec: 'appspec.yaml' },
      /^Input 'codedeploy-deployment-id' follows a CodeDeploy deployment that already exists, so it starts none: 'appspec' was given too/,
    ],
    [
      { 'codedeploy-deployment-id': 'd-A1B2C3D4E', wait: 'false' },
      /^Input 'codedeploy-deployment-id' follows a CodeDeploy deployment, but wait is false/,
    ],
    [{ 'codedeploy-deployment-id': 'd-a1b2' }, /^Input 'codedeploy-deployment-id' is "d-a1b2", which is not a CodeDeploy deployment id/],
    [
      {
        'codedeploy-deployment-id': 'd-A1B2C3D4E',
        'service-deployment-arn': 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/sd-1',
      },
      /^Inputs 'service-deployment-arn' and 'codedeploy-deployment-id' each name a deployment to follow/,
    ],
  ])('CodeDeploy follow inputs %j are refused', (values, message) => {
    expect(() => read({ cluster: 'prod', service: 'web', ...values })).toThrow(message);
  });

  test("compare-with: cluster/service, or a service ARN of the step's region (its account kept, checked once the step's is known)", () => {
    expect(read({ cluster: 'production', service: 'web', 'compare-with': 'staging/web' }).compareWith).toEqual({
      cluster: 'staging',
      service: 'web',
      label: 'staging/web',
    });
    expect(
      read({ cluster: 'production', service: 'web', 'compare-with': 'arn:aws:ecs:eu-west-1:123456789012:service/staging/web' }).compareWith,
    ).toEqual({ cluster: 'staging', service: 'web', label: 'staging/web', account: '123456789012' });
    expect(read({ cluster: 'production', service: 'web', 'compare-with': '  staging/web  ' }).compareWith?.label).toBe('staging/web');
    expect(read({ cluster: 'production', service: 'web', preflight: 'warn', 'compare-with': 'staging/web' }).compareWith?.label).toBe(
      'staging/web',
    );
  });
});

describe('readDeployInputs with several services', () => {
  const several = (values: Record<string, string>) =>
    readDeployInputs(new Inputs(inputsFrom({ region: 'eu-west-1', cluster: 'prod', ...values })));

  test('one name a line: the step changes read as for one service, no scalar service, no audit trail', () => {
    const read = several({ service: 'web\n  worker \n\nscheduler\n', image: 'shop:v2', 'wait-until': 'bake' });

    expect(read).toMatchObject({ several: true, services: ['web', 'worker', 'scheduler'], image: 'shop:v2', waitUntil: 'bake' });
    expect(read).not.toHaveProperty('service');
    expect(read).not.toHaveProperty('auditTrail');
  });

  test('a service ARN among them is checked as one service ARN is', () => {
    expect(() => several({ service: 'web\narn:aws:ecs:us-east-1:123456789012:service/prod/worker' })).toThrow(ConfigurationError);
  });

  test('keep-revisions (one family after one deploy) is refused, naming the input', () => {
    expect(() => several({ service: 'web\nworker', 'keep-revisions': '5' })).toThrow(
      new ConfigurationError(
        "Input 'service' names 2 services, but 'keep-revisions' cleans up one family's revisions after one deploy. Remove keep-revisions, or deploy that service in a step of its own.",
        'keep-revisions',
      ),
    );
  });
});
