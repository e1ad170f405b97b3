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
import { rollBackService } from '@ecs-deploy/core/use-cases';
import { readRollbackInputs } from './inputs';
import { setRollbackOutputs } from './outputs';

const ACTION = 'auto-rollback';

async function rollBack(): Promise<void> {
  const { auditTrail, ...request } = readRollbackInputs();
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

await runAction(rollBack);
