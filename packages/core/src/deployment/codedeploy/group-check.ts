import { readFile } from 'node:fs/promises';
import type { CodeDeployClient, DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError, errorMessage } from '../../common/errors';
import type { WaitUntil } from '../../ecs/watch-loop';
import type { PreflightCheck } from '../../preflight/check';
import { parseAppSpec, type AppSpec } from './appspec';
import { groupTargets, groupTargetsService, readDeploymentGroup } from './deployment-group';
import { codeDeployNames, type CodeDeployInputs, type CodeDeployNames } from './settings';
import { codeDeployWaitMs, waitsForReady } from './wait-time';

/** The default deployment configuration of an ECS deployment group (CreateDeploymentGroup, deploymentConfigName). */
export const DEFAULT_ECS_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

/** What the pre-flight check found, for the start: where the deployment is created, how, and how long it waits by design. */
export interface CodeDeployPlan {
  names: CodeDeployNames;
  group: DeploymentGroupInfo;
  /** codedeploy-deployment-config, else the group's. */
  deploymentConfigName: string;
  /** The appspec file, read and checked, when one was given. */
  appSpecFile?: AppSpec;
  /** How long the deployment waits by design before wait-until is reached (see codeDeployWaitMs). */
  waitMs: number;
}

/** The plan among what a mechanism's pre-flight checks found. */
export function isCodeDeployPlan(value: unknown): value is CodeDeployPlan {
  return typeof value === 'object' && value !== null && 'names' in value && 'group' in value && 'deploymentConfigName' in value;
}

export interface DeploymentGroupCheckOptions {
  codedeploy: CodeDeployClient;
  cluster: string;
  service: Service;
  inputs: CodeDeployInputs;
  waitUntil: WaitUntil;
}

/**
 * The deployment group exists and deploys this service, and what the step was asked fits it (an appspec file with
 * one ECS TargetService; wait-until paused only when the group stops at Ready): checked before any revision is
 * registered. It protects: a deployment created in a group of another service would replace that service's tasks.
 */
export function deploymentGroupCheck(options: DeploymentGroupCheckOptions): PreflightCheck<CodeDeployPlan> {
  return {
    id: 'codedeploy-deployment-group',
    title: 'CodeDeploy deployment group',
    protects: true,
    permissions: ['codedeploy:GetDeploymentGroup'],
    run: async () => {
      const serviceName = options.service.serviceName ?? '';
      const names = codeDeployNames(options.cluster, serviceName, options.inputs);
      const group = await readDeploymentGroup(options.codedeploy, names);
      const where = `deployment group "${names.deploymentGroup}" of application "${names.application}"`;
      if (!groupTargetsService(group, options.cluster, serviceName)) {
        return {
          status: 'fail',
          input: 'codedeploy-deployment-group',
          detail: `The ${where} deploys ${groupTargets(group)}, not service "${serviceName}" of cluster "${nameOf(options.cluster)}".`,
          fix: "Give the application and deployment group that deploy this service in 'codedeploy-application' and 'codedeploy-deployment-group'. Nothing was changed.",
        };
      }
      if (options.waitUntil === 'paused' && !waitsForReady(group)) {
        const ready = group.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT';
        return {
          status: 'fail',
          input: 'wait-until',
          detail: `Input 'wait-until' is paused, but the ${where} reroutes traffic without waiting (deploymentReadyOption ${ready}): the deployment would never stop at Ready.`,
          fix: "Set the group's deploymentReadyOption to STOP_DEPLOYMENT with a wait time, or use bake or complete. Nothing was changed.",
        };
      }
      const appSpecFile = options.inputs.appSpecFile ? await readAppSpecFile(options.inputs.appSpecFile) : undefined;
      const deploymentConfigName = options.inputs.deploymentConfig ?? group.deploymentConfigName ?? DEFAULT_ECS_CONFIG;
      const waitMs = codeDeployWaitMs(group, deploymentConfigName, options.waitUntil);
      const file = options.inputs.appSpecFile ? `, AppSpec from ${options.inputs.appSpecFile}` : '';
      return {
        status: 'pass',
        detail: `${where} deploys ${groupTargets(group)} with ${deploymentConfigName}${file}`,
        value: { names, group, deploymentConfigName, ...(appSpecFile ? { appSpecFile } : {}), waitMs },
      };
    },
  };
}

async function readAppSpecFile(path: string): Promise<AppSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Input 'appspec': cannot read the AppSpec file ${path} (${errorMessage(error)}).`, 'appspec');
  }
  return parseAppSpec(text, 'appspec', path);
}

const nameOf = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
