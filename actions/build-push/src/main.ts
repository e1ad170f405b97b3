import { ECRClient } from '@aws-sdk/client-ecr';
import { createClient, systemClock } from '@ecs-deploy/core/common';
import { abortOnCancel, actionsExec, actionsLogger, maskSecret, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { buildAndPush } from '@ecs-deploy/core/use-cases';
import { readBuildInputs } from './inputs';
import { setBuildOutputs } from './outputs';

await runAction(async () => {
  const request = readBuildInputs();
  const ecr = createClient(ECRClient, { region: request.region, action: 'build-push' });
  await buildAndPush(
    request,
    { ecr },
    {
      log: actionsLogger,
      clock: systemClock,
      exec: actionsExec,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      setOutputs: setBuildOutputs,
      signal: abortOnCancel(),
    },
  );
});
