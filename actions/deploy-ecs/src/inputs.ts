import {
  checkEcsArnInputs,
  ConfigurationError,
  parseServiceReference,
  resolveRegion,
  type Inputs,
  type ServiceReference,
} from '@ecs-deploy/core/common';
import { codeDeployDeploymentIdInput } from '@ecs-deploy/core/codedeploy';
import type { CodeDeployInputs } from '@ecs-deploy/core/deployment';
import { parseServiceDeploymentArn, readServiceSettings, SERVICE_SETTING_INPUTS, type ServiceSettings } from '@ecs-deploy/core/ecs';
import { readPreflightMode, type PreflightMode } from '@ecs-deploy/core/preflight';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import { fileOrTaskDefinitionInput, readRevisionChanges, tagsInput, type TaskDefinitionInput } from '@ecs-deploy/core/task-definition';
import { parseScheduledTasks, SCHEDULED_TASKS_INPUT } from '@ecs-deploy/core/scheduled-tasks';
import type { DeployRequest, RegisterOnlyRequest, ServicesDeployRequest } from '@ecs-deploy/core/use-cases';
import { severalServices } from './services-inputs';

const WAIT_UNTIL = ['complete', 'bake', 'paused'] as const;
/** The inputs that start a deployment: with service-deployment-arn or codedeploy-deployment-id the step follows one instead, so none may be given. */
const STARTING_INPUTS = [
  'image',
  'images',
  'environment',
  'secrets',
  'task-definition',
  'desired-count',
  'appspec',
  'codedeploy-deployment-config',
  'tags',
] as const;

/** The inputs that change the revision: with an existing revision nothing is registered to carry them. */
const CHANGE_INPUTS = ['image', 'images', 'environment', 'secrets', 'tags'] as const;
/**
 * The inputs that act on the service: without one, deploy-ecs only registers the file, so each is refused there
 * rather than dropped.
 */
export const SERVICE_INPUTS = [
  'desired-count',
  'enable-execute-command',
  'propagate-tags',
  'enable-ecs-managed-tags',
  'health-check-grace-period',
  'wait-until',
  'service-deployment-arn',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-config',
  'codedeploy-deployment-id',
  'appspec',
  'timeout',
  'compare-with',
  'github-token',
  'environment-name',
  'environment-url',
] as const;

/**
 * The service inputs with a default in action.yml, which the runner always passes: only a value other than the
 * default asks for something of a service (a forced deployment, no watch, another crash threshold).
 */
export const DEFAULTED_SERVICE_INPUTS = { 'force-new-deployment': 'false', wait: 'true', 'failed-tasks-threshold': '3' } as const;

/** The inputs a register-only step (no service) reads; every other input of action.yml is a service input, refused. */
export const REGISTER_ONLY_INPUTS = [
  'cluster',
  'service',
  'task-definition',
  'container',
  'image',
  'images',
  'environment',
  'secrets',
  'tags',
  'preflight',
  'region',
  SCHEDULED_TASKS_INPUT,
  'keep-revisions',
] as const;

export interface DeployInputs extends DeployRequest {
  /** With a github-token: the GitHub Deployment to record. */
  auditTrail?: AuditTrailSettings;
}

/** Without a service: register the file only (for scheduled and one-off tasks). */
export interface RegisterOnlyInputs extends RegisterOnlyRequest {
  registerOnly: true;
}

/** Several services, one a line: each deployed as one would be, from its live revision. */
export interface ServicesInputs extends ServicesDeployRequest {
  several: true;
}

/** Reads and validates every input before anything talks to AWS. */
export function readDeployInputs(inputs = stepInputs()): DeployInputs | RegisterOnlyInputs | ServicesInputs {
  const services = severalServices(inputs);
  if (services) return readServicesInputs(inputs, services);
  const changes = { ...readRevisionChanges(inputs), tags: tagsInput(inputs) };
  const cluster = inputs.required('cluster');
  const region = resolveRegion(inputs.optional('region'));
  const given = inputs.optional('task-definition');
  checkEcsArnInputs({ cluster, service: inputs.optional('service'), 'task-definition': given }, region);
  const taskDefinition = given === undefined ? undefined : fileOrTaskDefinitionInput(given);
  if (taskDefinition?.kind === 'reference') refuseChangesToRevision(inputs, taskDefinition.reference);
  if (inputs.optional('service') === undefined) {
    return { registerOnly: true, ...readRegisterOnly(inputs, taskDefinition), cluster, region, ...changes };
  }
  const service = inputs.required('service');
  const wait = inputs.boolean('wait', true);
  const waitUntil = inputs.oneOf('wait-until', WAIT_UNTIL);
  if (!wait && waitUntil) {
    throw new ConfigurationError(
      `Input 'wait-until' (${waitUntil}) says where to stop watching, but wait is false: nothing is watched. Remove wait-until, or set wait to true.`,
      'wait-until',
    );
  }
  const serviceDeploymentArn = readFollowed(inputs, 'service-deployment-arn', 'a service deployment', wait, (arn) => {
    // The shape first (an ecs-svc/... deployment id, a service ARN), as verify-health's continue-deployment reads it.
    parseServiceDeploymentArn(arn, 'service-deployment-arn');
    return arn;
  });
  const codeDeployDeploymentId = readFollowed(inputs, 'codedeploy-deployment-id', 'a CodeDeploy deployment', wait, (id) =>
    codeDeployDeploymentIdInput('codedeploy-deployment-id', id),
  );
  if (serviceDeploymentArn && codeDeployDeploymentId) {
    throw new ConfigurationError(
      "Inputs 'service-deployment-arn' and 'codedeploy-deployment-id' each name a deployment to follow: give the one of the service's controller (codedeploy-deployment-id for CODE_DEPLOY services), not both.",
      'codedeploy-deployment-id',
    );
  }
  const serviceSettings = readSettings(inputs, Boolean(serviceDeploymentArn || codeDeployDeploymentId));
  const codeDeploy = readCodeDeployInputs(inputs);
  const preflight = readPreflightMode(inputs);
  const compareWith = readCompareWith(inputs, region, preflight, Boolean(serviceDeploymentArn || codeDeployDeploymentId));
  const scheduledTasks = readAfterSuccess(SCHEDULED_TASKS_INPUT, wait, waitUntil, (name) => {
    const references = parseScheduledTasks(inputs.numberedLines(name));
    return references.length ? references : undefined;
  });
  const keepRevisions = readAfterSuccess('keep-revisions', wait, waitUntil, (name) => readKeepRevisions(inputs, name));
  return {
    cluster,
    service,
    region,
    taskDefinitionFile: taskDefinition?.kind === 'file' ? taskDefinition.path : undefined,
    ...(taskDefinition?.kind === 'reference' ? { taskDefinitionRevision: taskDefinition.reference } : {}),
    ...changes,
    desiredCount: inputs.integer('desired-count', { min: 0 }),
    ...(Object.keys(serviceSettings).length ? { serviceSettings } : {}),
    forceNewDeployment: inputs.boolean('force-new-deployment', false),
    wait,
    ...(waitUntil ? { waitUntil } : {}),
    ...(serviceDeploymentArn ? { serviceDeploymentArn } : {}),
    ...(codeDeployDeploymentId ? { codeDeployDeploymentId } : {}),
    ...(codeDeploy ? { codeDeploy } : {}),
    timeoutMs: inputs.duration('timeout', DEFAULT_TIMEOUT),
    timeoutGiven: inputs.optional('timeout') !== undefined,
    failedTasksThreshold: inputs.integer('failed-tasks-threshold', { min: 1 }) ?? 3,
    preflight,
    ...(compareWith ? { compareWith } : {}),
    ...(scheduledTasks ? { scheduledTasks } : {}),
    ...(keepRevisions !== undefined ? { keepRevisions } : {}),
    auditTrail: readAuditTrailInputs(inputs, serviceEnvironment(service)),
  };
}

/**
 * Several services: the inputs read as for one service (the first; what is refused with several was refused by
 * severalServices), and every name checked as that one is.
 */
function readServicesInputs(inputs: Inputs, services: string[]): ServicesInputs {
  const single = readDeployInputs(inputs.with('service', services[0])) as DeployInputs;
  for (const service of services.slice(1)) checkEcsArnInputs({ cluster: single.cluster, service }, single.region);
  const { service: _service, auditTrail: _auditTrail, taskDefinitionFile: _file, taskDefinitionRevision: _revision, ...shared } = single;
  return { several: true, ...shared, services };
}

/**
 * An input that acts once the deploy succeeded (scheduled-tasks, keep-revisions): with wait false, or a wait-until that
 * returns before the deployment completes, the step never learns that it did, so the input would never act.
 */
function readAfterSuccess<T>(
  name: string,
  wait: boolean,
  waitUntil: string | undefined,
  read: (name: string) => T | undefined,
): T | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  if (!wait || (waitUntil !== undefined && waitUntil !== 'complete')) {
    const why = !wait ? 'wait is false' : `wait-until is ${waitUntil}`;
    throw new ConfigurationError(
      `Input '${name}' acts once the deploy has completed successfully, but ${why}: the step returns before it knows. Remove ${name}, or wait until complete.`,
      name,
    );
  }
  return value;
}

/**
 * An existing revision is deployed as it is: nothing is registered, so an image or a variable given beside it would
 * go nowhere. Refused rather than dropped.
 */
function refuseChangesToRevision(inputs: Inputs, reference: string): void {
  const given = CHANGE_INPUTS.filter((input) => inputs.optional(input) !== undefined);
  if (!given.length) return;
  const names = given.map((input) => `'${input}'`).join(', ');
  throw new ConfigurationError(
    `Input 'task-definition' names the registered revision "${reference}", which is deployed as it is: nothing is registered to carry ${names}. ` +
      `Remove ${given.length === 1 ? 'it' : 'them'} and deploy the revision as registered, or give a task definition file (or no task-definition: the service's revision) for the step to render and register.`,
    given[0],
  );
}

/**
 * No service: the step registers the task-definition file (with the step's changes) and stops. It needs the file,
 * and refuses the inputs that act on a service, which would do nothing.
 */
function readRegisterOnly(
  inputs: Inputs,
  taskDefinition: TaskDefinitionInput | undefined,
): Pick<RegisterOnlyRequest, 'taskDefinitionFile' | 'preflight' | 'scheduledTasks' | 'keepRevisions'> {
  if (taskDefinition === undefined) {
    throw new ConfigurationError(
      "Input 'service' is required unless 'task-definition' names a JSON file to register: give the service to deploy, or a task definition file (without a service deploy-ecs only registers it, for scheduled and one-off tasks).",
      'service',
    );
  }
  if (taskDefinition.kind === 'reference') {
    throw new ConfigurationError(
      `Input 'task-definition' names the registered revision "${taskDefinition.reference}" and 'service' is not given: there is nothing to register and no service to deploy it to. Give the service to deploy it to, or a task definition file to register.`,
      'task-definition',
    );
  }
  const given = [...SERVICE_INPUTS.filter((input) => inputs.optional(input) !== undefined), ...defaultedServiceInputsGiven(inputs)];
  if (given.length) {
    const names = given.map((input) => `'${input}'`).join(', ');
    throw new ConfigurationError(
      `${given.length === 1 ? 'Input' : 'Inputs'} ${names} ${given.length === 1 ? 'acts' : 'act'} on a service, but 'service' is not given: without one deploy-ecs only registers the task definition. ` +
        `Remove ${given.length === 1 ? 'it' : 'them'}, or give the service.`,
      given[0],
    );
  }
  // The registration is synchronous (the revision is ACTIVE when RegisterTaskDefinition answers) and there is no
  // rollout to wait for, so scheduled-tasks and keep-revisions act right after it: readAfterSuccess's wait rules
  // are about a service's watch, and wait and wait-until are refused here with the other service inputs.
  const scheduledTasks = parseScheduledTasks(inputs.numberedLines(SCHEDULED_TASKS_INPUT));
  const keepRevisions = readKeepRevisions(inputs, 'keep-revisions');
  return {
    taskDefinitionFile: taskDefinition.path,
    preflight: readPreflightMode(inputs),
    ...(scheduledTasks.length ? { scheduledTasks } : {}),
    ...(keepRevisions !== undefined ? { keepRevisions } : {}),
  };
}

/**
 * The defaulted service inputs given another value than their default. A boolean is read as such (so `False` is
 * false), the threshold as given: any value but the default asks the watch for something.
 */
function defaultedServiceInputsGiven(inputs: Inputs): string[] {
  const given: string[] = [];
  if (inputs.boolean('force-new-deployment', false)) given.push('force-new-deployment');
  if (!inputs.boolean('wait', true)) given.push('wait');
  const threshold = inputs.optional('failed-tasks-threshold');
  if (threshold !== undefined && threshold !== DEFAULTED_SERVICE_INPUTS['failed-tasks-threshold']) given.push('failed-tasks-threshold');
  return given;
}

/**
 * keep-revisions: a whole number of at least 2. 0 would deregister the revision just deployed and 1 the rollback
 * target's neighbours on the next deploy; neither is a clean-up anyone wants, so both are refused.
 */
function readKeepRevisions(inputs: Inputs, name: string): number | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 2)
    throw new ConfigurationError(
      `Input '${name}' must be a whole number of at least 2 (the revision deployed and one to roll back to), such as 10; got "${value}".`,
      name,
    );
  return Number(value);
}

/** Without a timeout input: 30 minutes, to which the use case adds the service's bake time. */
const DEFAULT_TIMEOUT = '30m';

/**
 * service-deployment-arn or codedeploy-deployment-id: a deployment to follow, given without any input that would
 * start one, and with wait true.
 */
function readFollowed(inputs: Inputs, name: string, what: string, wait: boolean, parse: (value: string) => string): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  const followed = parse(value);
  // force-new-deployment has a default ('false'), so the runner always passes it: only true starts a deployment.
  const forced = inputs.boolean('force-new-deployment', false) ? ['force-new-deployment'] : [];
  const given = [...STARTING_INPUTS.filter((input) => inputs.optional(input) !== undefined), ...forced];
  if (given.length) {
    const names = given.map((input) => `'${input}'`).join(', ');
    throw new ConfigurationError(
      `Input '${name}' follows ${what} that already exists, so it starts none: ${names} ${given.length === 1 ? 'was' : 'were'} given too, which would start one. ` +
        `Remove them to follow the deployment, or remove ${name} to start a new one.`,
      name,
    );
  }
  if (!wait) {
    throw new ConfigurationError(
      `Input '${name}' follows ${what}, but wait is false: the step would do nothing. Remove wait: false.`,
      name,
    );
  }
  return followed;
}

/**
 * The service settings (enable-execute-command, propagate-tags, enable-ecs-managed-tags, health-check-grace-period).
 * A step that follows a deployment changes nothing, so it takes none.
 */
function readSettings(inputs: Inputs, following: boolean): ServiceSettings {
  const settings = readServiceSettings(inputs);
  const given = (Object.keys(settings) as Array<keyof ServiceSettings>).map((field) => SERVICE_SETTING_INPUTS[field]);
  if (following && given.length) {
    const followed = inputs.optional('service-deployment-arn') !== undefined ? 'service-deployment-arn' : 'codedeploy-deployment-id';
    throw new ConfigurationError(
      `Input '${given[0]}' changes a service setting, but '${followed}' follows a deployment that exists and changes nothing. ` +
        `Set ${given.map((input) => `'${input}'`).join(', ')} in the step that starts the deployment, or remove ${given.length === 1 ? 'it' : 'them'}.`,
      given[0],
    );
  }
  return settings;
}

/**
 * compare-with: a service of the same account and region, as cluster/service or its ARN. Its report is a pre-flight
 * check, so it is refused with preflight false (it would not run), and when following a deployment (nothing is
 * registered, so there is no new revision to compare).
 */
function readCompareWith(inputs: Inputs, region: string, preflight: PreflightMode, following: boolean): ServiceReference | undefined {
  const value = inputs.optional('compare-with');
  if (value === undefined) return undefined;
  const reference = parseServiceReference('compare-with', value, region);
  if (preflight === 'off') {
    throw new ConfigurationError(
      "Input 'compare-with' is reported by a pre-flight check, but preflight is false: it would not run. Remove compare-with, or set preflight to true or warn.",
      'compare-with',
    );
  }
  if (following) {
    throw new ConfigurationError(
      "Input 'compare-with' compares the revision this step registers with another service's, but following a deployment registers none. Remove compare-with, or compare in the step that starts the deployment.",
      'compare-with',
    );
  }
  return reference;
}

/** The CodeDeploy inputs, when any is given (for CODE_DEPLOY services; refused before any change on others). */
function readCodeDeployInputs(inputs: Inputs): CodeDeployInputs | undefined {
  const given: CodeDeployInputs = {
    application: inputs.optional('codedeploy-application'),
    deploymentGroup: inputs.optional('codedeploy-deployment-group'),
    deploymentConfig: inputs.optional('codedeploy-deployment-config'),
    appSpecFile: inputs.optional('appspec'),
  };
  const set = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as CodeDeployInputs;
  return Object.keys(set).length ? set : undefined;
}
