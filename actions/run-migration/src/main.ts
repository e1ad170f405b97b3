import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { clientFactory, createClient, systemClock } from '@ecs-deploy/core/common';
import { abortOnCancel, actionsLogger, maskSecret, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { runMigration } from '@ecs-deploy/core/use-cases';
import { readMigrationInputs } from './inputs';
import { setMigrationOutputs } from './outputs';

const ACTION = 'run-migration';

await runAction(async () => {
  const request = readMigrationInputs();
  const signal = abortOnCancel();
  const context = { region: request.region, action: ACTION };
  const clients = {
    ecs: createClient(ECSClient, context),
    logs: createClient(CloudWatchLogsClient, context),
    aws: clientFactory(ACTION),
  };
  await runMigration(request, clients, {
    log: actionsLogger,
    clock: systemClock,
    setSecret: maskSecret,
    writeSummary: writeJobSummary,
    setOutputs: setMigrationOutputs,
    signal,
  });
});
