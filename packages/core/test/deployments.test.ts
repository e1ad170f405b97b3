import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import {
  openDeploymentTrail,
  readAuditTrailInputs,
  reportingErrors,
  runContextFromEnv,
  serviceEnvironment,
  type AuditTrailSettings,
} from '../src/platform/deployments';
import { Inputs, inputsFrom } from '../src/common/inputs';
import { silentLogger } from '../src/common/logger';
import { FakeGitHub } from './support/fake-github';

let github: FakeGitHub;
beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
});

const SHA = 'c0ffee0000000000000000000000000000000001';
const runEnv = () => ({
  GITHUB_API_URL: github.url,
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: '77',
});
const settings: AuditTrailSettings = { token: 'ghs_test_token', environment: 'production', environmentUrl: 'https://shop.example.com' };

describe('DeploymentTrail against a local GitHub API', () => {
  test('start records a Deployment of the commit with its payload, then in_progress; report adds the outcome', async () => {
    const log = silentLogger();
    const trail = openDeploymentTrail(settings, log, runEnv());
    await trail?.start({
      description: 'shop:7 to prod/shop',
      payload: { cluster: 'prod', service: 'shop', 'task-definition-arn': 'arn:td/shop:7' },
    });
    await trail?.report('success', 'shop:7 is live');

    const [created] = github.created();
    expect(created.path).toBe('/repos/acme/shop/deployments');
    expect(created.authorization).toBe('token ghs_test_token');
    expect(created.body).toMatchObject({
      ref: SHA,
      environment: 'production',
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      payload: { cluster: 'prod', service: 'shop', 'task-definition-arn': 'arn:td/shop:7' },
    });
    const id = trail?.deploymentId as number;
    expect(id).toBeGreaterThan(0);
    expect(github.statusesOf(id)).toEqual(['in_progress', 'success']);
    const last = github.requests.at(-1);
    expect(last?.body).toMatchObject({
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.example/acme/shop/actions/runs/77',
      description: 'shop:7 is live',
    });
    expect(log.lines.filter((line) => line.startsWith('warning'))).toEqual([]);
  });

  test('follow attaches to the newest Deployment of this commit and environment', async () => {
    const first = openDeploymentTrail(settings, silentLogger(), runEnv());
    await first?.start({ description: 'first', payload: {} });
    const second = openDeploymentTrail(settings, silentLogger(), runEnv());
    await second?.start({ description: 'second', payload: {} });
    await openDeploymentTrail({ ...settings, environment: 'staging' }, silentLogger(), runEnv())?.start({
      description: 'elsewhere',
      payload: {},
    });

    const later = openDeploymentTrail(settings, silentLogger(), runEnv());
    await later?.follow();
    await later?.report('failure', 'unhealthy: 3 failed checks');

    expect(later?.deploymentId).toBe(second?.deploymentId);
    expect(github.statusesOf(second?.deploymentId as number)).toEqual(['in_progress', 'failure']);
    expect(github.statusesOf(first?.deploymentId as number)).toEqual(['in_progress']);
  });

  test('follow with no Deployment to find warns and posts nothing', async () => {
    const log = silentLogger();
    const trail = openDeploymentTrail(settings, log, runEnv());
    await trail?.follow();
    await trail?.report('success', 'healthy');
    expect(trail?.deploymentId).toBeUndefined();
    expect(github.requests.map((r) => r.method)).toEqual(['GET']);
    expect(log.lines.join('\n')).toContain('No GitHub Deployment of c0ffee0 to production');
  });

  test('a refusal from GitHub is a warning naming the permission, never an exception', async () => {
    github.answer = () => ({ status: 403, body: { message: 'Resource not accessible by integration' } });
    const log = silentLogger();
    const trail = openDeploymentTrail(settings, log, runEnv());
    await expect(trail?.start({ description: 'x', payload: {} })).resolves.toBeUndefined();
    await trail?.report('success', 'y');
    expect(trail?.deploymentId).toBeUndefined();
    expect(github.requests).toHaveLength(1);
    const warnings = log.lines.filter((line) => line.startsWith('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Resource not accessible by integration');
    expect(warnings[0]).toContain('deployments: write');
  });

  test('a description longer than GitHub accepts is shortened to 140 characters', async () => {
    const trail = openDeploymentTrail(settings, silentLogger(), runEnv());
    await trail?.start({ description: 'x'.repeat(300), payload: {} });
    expect((github.created()[0].body.description as string).length).toBe(140);
    expect((github.requests.at(-1)?.body.description as string).length).toBe(140);
  });
});

describe('readAuditTrailInputs', () => {
  const read = (values: Record<string, string>) => readAuditTrailInputs(new Inputs(inputsFrom(values)), 'shop');

  test('no token, no trail', () => {
    expect(read({ 'environment-name': 'production' })).toBeUndefined();
  });

  test('the environment defaults to the one the caller names', () => {
    expect(read({ 'github-token': 'ghs_read_token' })).toEqual({ token: 'ghs_read_token', environment: 'shop', environmentUrl: undefined });
    expect(read({ 'github-token': 'ghs_read_token', 'environment-name': 'production', 'environment-url': 'https://x.example' })).toEqual({
      token: 'ghs_read_token',
      environment: 'production',
      environmentUrl: 'https://x.example',
    });
  });

  test('an environment-url that is not a URL is a ConfigurationError naming the input', () => {
    expect(() => read({ 'github-token': 'ghs_read_token', 'environment-url': 'shop.example.com' })).toThrow(ConfigurationError);
    expect(() => read({ 'github-token': 'ghs_read_token', 'environment-url': 'shop.example.com' })).toThrow(
      /'environment-url' must be an http\(s\) URL/,
    );
  });

  test('with no default environment, a token needs environment-name; without a token nothing is needed', () => {
    const readWithout = (values: Record<string, string>) => readAuditTrailInputs(new Inputs(inputsFrom(values)), undefined);
    expect(() => readWithout({ 'github-token': 'ghs_read_token' })).toThrow(ConfigurationError);
    expect(() => readWithout({ 'github-token': 'ghs_read_token' })).toThrow(/Input 'environment-name' is required with 'github-token'/);
    expect(readWithout({ 'github-token': 'ghs_read_token', 'environment-name': 'staging-web' })?.environment).toBe('staging-web');
    expect(readWithout({})).toBeUndefined();
  });

  test('a service given as an ARN records under its name', () => {
    expect(serviceEnvironment('arn:aws:ecs:us-east-1:123456789012:service/prod/web')).toBe('web');
    expect(serviceEnvironment('web')).toBe('web');
  });
});

describe('runContextFromEnv', () => {
  test('reads the runner variables', () => {
    expect(runContextFromEnv({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA })).toEqual({
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      owner: 'acme',
      repo: 'shop',
      sha: SHA,
      runId: undefined,
    });
  });

  test('outside a run it is a ConfigurationError naming github-token', () => {
    expect(() => runContextFromEnv({ GITHUB_SHA: SHA })).toThrow(/'github-token'.*GITHUB_REPOSITORY/);
  });
});

describe('reportingErrors', () => {
  test('a step that throws leaves an error status with its message, and the error goes on', async () => {
    const trail = openDeploymentTrail(settings, silentLogger(), runEnv());
    await trail?.start({ description: 'shop:8', payload: {} });
    await expect(reportingErrors(trail, async () => Promise.reject(new Error('DescribeServices throttled')))).rejects.toThrow(
      'DescribeServices throttled',
    );
    expect(github.statusesOf(trail?.deploymentId as number)).toEqual(['in_progress', 'error']);
    expect(github.requests.at(-1)?.body.description).toBe('DescribeServices throttled');
  });

  test('a step that succeeds passes its value through and posts nothing', async () => {
    const trail = openDeploymentTrail(settings, silentLogger(), runEnv());
    await trail?.start({ description: 'shop:8', payload: {} });
    await expect(reportingErrors(trail, async () => 42)).resolves.toBe(42);
    expect(github.statusesOf(trail?.deploymentId as number)).toEqual(['in_progress']);
  });
});
