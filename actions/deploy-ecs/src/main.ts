import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { clientFactory, createClient, systemClock } from '@ecs-deploy/core/common';
import {
  abortOnCancel,
  actionsLogger as log,
  maskSecret,
  maskSecretValues,
  openDeploymentTrail,
  runAction,
  writeJobSummary,
} from '@ecs-deploy/core/platform';
import { deployService, deployServices, registerTaskDefinitionOnly } from '@ecs-deploy/core/use-cases';
import { readDeployInputs, type RegisterOnlyInputs, type ServicesInputs } from './inputs';
import { setDeployOutputs, setServicesOutputs } from './outputs';

const ACTION = 'deploy-ecs';

async function deploy(): Promise<void> {
  const inputs = readDeployInputs();
  if ('registerOnly' in inputs) return registerOnly(inputs);
  if ('several' in inputs) return deploySeveral(inputs);
  const { auditTrail, ...request } = inputs;
  // A container that prints a credential from its environment (a crash log line quoting DATABASE_URL) must show ***.
  maskSecretValues(request.environment);
  const trail = openDeploymentTrail(auditTrail, log);
  const aws = { region: request.region, action: ACTION };
  await deployService(
    request,
    {
      ecs: createClient(ECSClient, aws),
      logs: createClient(CloudWatchLogsClient, aws),
      codedeploy: createClient(CodeDeployClient, aws),
      aws: clientFactory(ACTION),
    },
    {
      log,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      setOutputs: setDeployOutputs,
      trail,
      signal: abortOnCancel(),
    },
  );
}

/** Several services that share an image, deployed at once and watched in one loop. */
async function deploySeveral(request: ServicesInputs): Promise<void> {
  maskSecretValues(request.environment);
  const aws = { region: request.region, action: ACTION };
  await deployServices(
    request,
    {
      ecs: createClient(ECSClient, aws),
      logs: createClient(CloudWatchLogsClient, aws),
      aws: clientFactory(ACTION),
    },
    {
      log,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      setOutputs: setServicesOutputs,
      signal: abortOnCancel(),
    },
  );
}

/** No service: register the task definition (for scheduled and one-off tasks) and stop. */
async function registerOnly(request: RegisterOnlyInputs): Promise<void> {
  maskSecretValues(request.environment);
  const aws = { region: request.region, action: ACTION };
  await registerTaskDefinitionOnly(
    request,
    { ecs: createClient(ECSClient, aws), aws: clientFactory(ACTION) },
    {
      log,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      setOutputs: setDeployOutputs,
      signal: abortOnCancel(),
    },
  );
}

await runAction(deploy);
