import { describe, expect, test } from '@jest/globals';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readHealthInputs } from '../src/inputs';

const read = (values: Record<string, string>) => readHealthInputs(new Inputs(inputsFrom(values)));

describe('readHealthInputs', () => {
  test('applies the contract defaults', () => {
    const inputs = read({ url: 'https://example.com/health' });
    expect({ ...inputs.plan, expectedStatus: inputs.plan.expectedStatus.text }).toEqual({
      urls: ['https://example.com/health'],
      expectedStatus: '200-299',
      bodyContains: undefined,
      warmupMs: 0,
      intervalMs: 2_000,
      timeoutMs: 300_000,
      successThreshold: 3,
      failureThreshold: 3,
      bakeMs: 0,
      maxLatencyMs: undefined,
    });
    expect(inputs.requestTimeoutMs).toBe(5_000);
    expect(inputs.headers).toEqual([]);
    expect(inputs.aws).toBeUndefined();
  });

  test('reads every input', () => {
    const inputs = read({
      url: 'https://a.example.com/health\nhttps://b.example.com/health',
      'expected-status': '200,204',
      'body-contains': '"status":"ok"',
      headers: 'Authorization: Bearer x',
      warmup: '30s',
      interval: '1s',
      timeout: '10m',
      'request-timeout': '2s',
      'success-threshold': '5',
      'failure-threshold': '2',
      bake: '5m',
      'max-latency-ms': '800',
      cluster: 'prod',
      service: 'web',
      alarms: 'web-5xx\nweb-latency',
      region: 'eu-west-1',
    });
    expect(inputs.plan).toMatchObject({
      urls: ['https://a.example.com/health', 'https://b.example.com/health'],
      bodyContains: '"status":"ok"',
      warmupMs: 30_000,
      intervalMs: 1_000,
      timeoutMs: 600_000,
      successThreshold: 5,
      failureThreshold: 2,
      bakeMs: 300_000,
      maxLatencyMs: 800,
    });
    expect(inputs.plan.expectedStatus.matches(204)).toBe(true);
    expect(inputs.plan.expectedStatus.matches(201)).toBe(false);
    expect(inputs.requestTimeoutMs).toBe(2_000);
    expect(inputs.headers).toEqual([{ name: 'Authorization', value: 'Bearer x' }]);
    expect(inputs.aws).toEqual({ region: 'eu-west-1', cluster: 'prod', service: 'web', alarms: ['web-5xx', 'web-latency'] });
  });

  test.each([['web:4'], ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:4']])(
    'task-definition %s names the revision the service must be steady on',
    (taskDefinition) => {
      const inputs = read({
        url: 'https://x.test/',
        cluster: 'prod',
        service: 'web',
        'task-definition': taskDefinition,
        region: 'us-east-1',
      });
      expect(inputs.aws).toEqual({ region: 'us-east-1', cluster: 'prod', service: 'web', taskDefinition, alarms: [] });
    },
  );

  test.each([
    [{}, 'url', /^Input 'url' is required/],
    [{ url: 'not a url' }, 'url', /"not a url" holds a space: put each URL on its own line/],
    [{ url: 'not-a-url' }, 'url', /"not-a-url" is not a URL/],
    [{ url: 'https://x.test/', 'expected-status': '2xx' }, 'expected-status', /such as 200-299 or 200,204/],
    [{ url: 'https://x.test/', interval: '0' }, 'interval', /must be longer than zero/],
    [{ url: 'https://x.test/', interval: 'often' }, 'interval', /must be a duration such as 90s/],
    [{ url: 'https://x.test/', 'success-threshold': '0' }, 'success-threshold', /whole number of at least 1/],
    [{ url: 'https://x.test/', 'max-latency-ms': 'fast' }, 'max-latency-ms', /whole number/],
    [{ url: 'https://x.test/', timeout: '4s' }, 'timeout', /shorter than the check can ever take to decide/],
    [{ url: 'https://x.test/', cluster: 'prod' }, 'service', /^Input 'service' is required when 'cluster' is given/],
    [{ url: 'https://x.test/', alarms: 'web-5xx', region: 'Europe' }, 'region', /"Europe", which is not an AWS region/],
    [{ url: 'https://x.test/', headers: 'token-without-name' }, 'headers', /"Name: value" lines/],
    [{ url: 'https://x.test/', 'task-definition': 'web:4' }, 'task-definition', /needs 'cluster' and 'service'/],
    [{ url: 'https://x.test/', alarms: 'web-5xx', 'task-definition': 'web:4' }, 'task-definition', /needs 'cluster' and 'service'/],
    [
      { url: 'https://x.test/', cluster: 'prod', service: 'web', 'task-definition': 'web' },
      'task-definition',
      /must name one revision, as family:revision/,
    ],
    [
      { url: 'https://x.test/', cluster: 'prod', service: 'web', 'task-definition': 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' },
      'task-definition',
      /must name one revision/,
    ],
  ])('%o is refused naming %s', (values, input, message) => {
    let error: unknown;
    try {
      read(values as Record<string, string>);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe(input);
    expect((error as Error).message).toMatch(message);
  });
});

describe('continue-deployment', () => {
  const ARN = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/r6RIfNXqR4yVSvCS0ylGkl';

  test('is read as the service deployment it names, its region the step default', () => {
    const inputs = read({ url: 'https://test.example.com/health', 'continue-deployment': ARN, cluster: 'prod', service: 'web' });
    expect(inputs.continueDeployment).toEqual({
      arn: ARN,
      region: 'eu-west-1',
      account: '123456789012',
      cluster: 'prod',
      service: 'web',
      id: 'r6RIfNXqR4yVSvCS0ylGkl',
    });
    expect(inputs.aws?.region).toBe('eu-west-1');
  });

  test.each([
    ['ecs-svc/1234567890', /is an ECS deployment id \(deploy-ecs's deployment-id output\)/],
    ['arn:aws:ecs:eu-west-1:123456789012:service/prod/web', /is the ARN of an ECS service, not of a service deployment/],
    ['arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup/app/dg', /is an ARN of codedeploy, not of ECS/],
    ['arn:aws:ecs:eu-west-1:1234:service-deployment/prod/web/x', /names the account "1234", which is not 12 digits/],
    ['arn:aws:ecs:eu-west-1:123456789012:service-deployment/web/x', /does not end in <cluster>\/<service>\/<id>/],
    ['sd-1', /is not an ARN/],
  ])('%s is refused naming the input and the shape, before any other input is read', (value, message) => {
    // The URL is missing too: the ARN is checked first.
    const error = (() => {
      try {
        read({ 'continue-deployment': value });
      } catch (caught) {
        return caught as ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.input).toBe('continue-deployment');
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain('arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>');
  });

  test.each([
    [{ service: 'api', cluster: 'prod' }, /a service deployment of service "web", but 'service' is "api"/],
    [{ service: 'web', cluster: 'staging' }, /a service deployment of cluster "prod", but 'cluster' is "staging"/],
    [{ region: 'us-east-1' }, /names a service deployment in eu-west-1, but 'region' is us-east-1/],
  ])('a deployment of another service or region than the one judged is refused: %o', (values, message) => {
    expect(() => read({ url: 'https://x.test/', 'continue-deployment': ARN, ...values })).toThrow(message);
  });
});

describe('continue-deployment as a CodeDeploy deployment id', () => {
  const refusal = (values: Record<string, string>) => {
    try {
      read(values);
    } catch (caught) {
      return caught as ConfigurationError;
    }
    throw new Error('the inputs were accepted');
  };

  test('is read with the service it deploys and the region of the step', () => {
    const inputs = read({
      url: 'http://test.example.com/',
      'continue-deployment': ' d-A1B2C3D4E ',
      cluster: 'prod',
      service: 'web',
      region: 'eu-west-1',
    });
    expect(inputs.continueCodeDeploy).toEqual({
      deploymentId: 'd-A1B2C3D4E',
      cluster: 'prod',
      service: 'web',
      region: 'eu-west-1',
      endTerminationWait: false,
    });
    expect(inputs.continueDeployment).toBeUndefined();
  });

  test.each(['d-a1b2c3d4e', 'd-A1B2C3D4', 'D-A1B2C3D4E0'])(
    'the typo %s is refused naming the input and the shape, before any other input is read',
    (value) => {
      const error = refusal({ 'continue-deployment': value });
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.input).toBe('continue-deployment');
      expect(error.message).toMatch(
        /which is not a CodeDeploy deployment id: .*"d-" and nine upper-case letters or digits, such as d-A1B2C3D4E/,
      );
    },
  );

  test('without cluster and service it is refused: the id names no service', () => {
    const error = refusal({ url: 'http://test.example.com/', 'continue-deployment': 'd-A1B2C3D4E' });
    expect(error.input).toBe('continue-deployment');
    expect(error.message).toMatch(/CodeDeploy deployment d-A1B2C3D4E, which names no service: give 'cluster' and 'service' too/);
  });

  test('end-termination-wait: true asks for the termination wait to be answered instead of Ready', () => {
    const inputs = read({
      url: 'http://prod.example.com/',
      'continue-deployment': 'd-A1B2C3D4E',
      'end-termination-wait': 'true',
      cluster: 'prod',
      service: 'web',
      region: 'eu-west-1',
    });
    expect(inputs.continueCodeDeploy?.endTerminationWait).toBe(true);
  });

  test('end-termination-wait without a CodeDeploy deployment is refused: nothing else has a termination wait', () => {
    const error = refusal({
      url: 'http://prod.example.com/',
      'continue-deployment': 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/r6RIfNXqR4yVSvCS0ylGkl',
      'end-termination-wait': 'true',
    });
    expect(error.input).toBe('end-termination-wait');
    expect(error.message).toMatch(/'continue-deployment' is not a CodeDeploy deployment id/);
  });
});
