import { describe, expect, test } from '@jest/globals';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import {
  DEFAULTED_SERVICE_INPUTS,
  readDeployInputs,
  REGISTER_ONLY_INPUTS,
  SERVICE_INPUTS,
  type RegisterOnlyInputs,
} from '../../actions/deploy-ecs/src/inputs';
import { actionMetadata } from '../support/action-metadata';

// Without a service deploy-ecs only registers the file (then moves scheduled tasks, cleans up revisions): every
// input action.yml declares is either read there or refused, naming it. An input added to action.yml fails here
// until it is put in REGISTER_ONLY_INPUTS (and read) or in SERVICE_INPUTS (and refused), so none is silently dropped.

const declared = actionMetadata('deploy-ecs')!.inputs;
const names = Object.keys(declared);
const registerOnly = (values: Record<string, string>) =>
  readDeployInputs(new Inputs(inputsFrom({ region: 'us-east-1', cluster: 'prod', 'task-definition': 'td.json', ...values })));

/** A valid value, not action.yml's default, of each input a register-only step does not read. */
const SAMPLE: Record<string, string> = {
  'desired-count': '2',
  'enable-execute-command': 'true',
  'propagate-tags': 'SERVICE',
  'enable-ecs-managed-tags': 'true',
  'health-check-grace-period': '90s',
  'force-new-deployment': 'true',
  wait: 'false',
  'wait-until': 'complete',
  'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/web/AbCdEf123',
  'codedeploy-application': 'AppECS-prod-web',
  'codedeploy-deployment-group': 'DgpECS-prod-web',
  'codedeploy-deployment-config': 'CodeDeployDefault.ECSAllAtOnce',
  appspec: 'appspec.yaml',
  'codedeploy-deployment-id': 'd-ABCDEF123',
  timeout: '10m',
  'failed-tasks-threshold': '5',
  'compare-with': 'staging/web',
  'github-token': 'ghs_registeronlytoken',
  'environment-name': 'production',
  'environment-url': 'https://example.com',
};

describe('deploy-ecs without a service reads or refuses every input of action.yml', () => {
  test('each input is a register-only input or a service input, and no list names one action.yml lacks', () => {
    const refused = [...SERVICE_INPUTS, ...Object.keys(DEFAULTED_SERVICE_INPUTS)];
    expect([...REGISTER_ONLY_INPUTS, ...refused].sort()).toEqual([...names].sort());
    expect(REGISTER_ONLY_INPUTS.filter((name) => refused.includes(name))).toEqual([]);
  });

  test.each(names.filter((name) => !(REGISTER_ONLY_INPUTS as readonly string[]).includes(name)))('%s is refused, naming it', (name) => {
    expect(SAMPLE[name]).toBeDefined();
    expect(SAMPLE[name]).not.toBe(declared[name].default);
    let error: unknown;
    try {
      registerOnly({ [name]: SAMPLE[name] });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe(name);
    expect((error as ConfigurationError).message).toMatch(
      new RegExp(`^Input '${name}' acts on a service, but 'service' is not given: without one deploy-ecs only registers`),
    );
  });

  test("action.yml's defaults, which the runner always passes, are accepted", () => {
    const defaults = Object.fromEntries(
      names.flatMap((name) => (declared[name].default === undefined ? [] : [[name, declared[name].default!]])),
    );
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    expect(registerOnly(defaults)).toMatchObject({ registerOnly: true, preflight: 'fail' });
  });

  test('scheduled-tasks and keep-revisions are read into the request, with no wait rule (nothing is watched)', () => {
    const request = registerOnly({ 'scheduled-tasks': 'rule:nightly\nschedule:batch/export', 'keep-revisions': '5' }) as RegisterOnlyInputs;
    expect(request.scheduledTasks).toEqual([
      expect.objectContaining({ kind: 'rule', name: 'nightly' }),
      expect.objectContaining({ kind: 'schedule', group: 'batch', name: 'export' }),
    ]);
    expect(request.keepRevisions).toBe(5);
  });
});
