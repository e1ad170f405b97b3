import * as core from '@actions/core';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createClient, systemClock } from '@ecs-deploy/core/common';
import {
  abortOnCancel,
  actionsLogger as log,
  maskSecret,
  openDeploymentTrail,
  runAction,
  writeJobSummary,
} from '@ecs-deploy/core/platform';
import { rollBackService, rollBackServices } from '@ecs-deploy/core/use-cases';
import { readRollbackInputs, type SeveralRollbackInputs } from './inputs';
import { setRollbackOutputs, setSeveralRollbackOutputs } from './outputs';

const ACTION = 'auto-rollback';

async function rollBack(): Promise<void> {
  const inputs = readRollbackInputs();
  if ('services' in inputs) return rollBackSeveral(inputs);
  const { auditTrail, ...request } = inputs;
  const trail = openDeploymentTrail(auditTrail, log);
  const aws = { region: request.region, action: ACTION };
  await rollBackService(
    request,
    { ecs: createClient(ECSClient, aws), logs: createClient(CloudWatchLogsClient, aws), codedeploy: createClient(CodeDeployClient, aws) },
    {
      log,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      notice: (message) => core.notice(message),
      setOutputs: setRollbackOutputs,
      trail,
      signal: abortOnCancel(),
    },
  );
}

/** Several services: each to its own target, all at once, watched in one loop. */
async function rollBackSeveral(request: SeveralRollbackInputs): Promise<void> {
  const aws = { region: request.region, action: ACTION };
  await rollBackServices(
    request,
    { ecs: createClient(ECSClient, aws), logs: createClient(CloudWatchLogsClient, aws) },
    {
      log,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      notice: (message) => core.notice(message),
      setOutputs: setSeveralRollbackOutputs,
      signal: abortOnCancel(),
    },
  );
}

await runAction(rollBack);
