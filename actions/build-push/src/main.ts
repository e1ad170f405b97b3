import { ECRClient } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { createClient, systemClock } from '@ecs-deploy/core/common';
import { abortOnCancel, actionsExec, actionsLogger, maskSecret, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { buildAndPush } from '@ecs-deploy/core/use-cases';
import { readBuildInputs } from './inputs';
import { setBuildOutputs } from './outputs';

await runAction(async () => {
  const request = readBuildInputs();
  const context = { region: request.region, action: 'build-push' };
  // Only the registry's own client: ECR Public's is in us-east-1 (the request's region with registry public).
  const clients =
    request.registry === 'public' ? { ecrPublic: createClient(ECRPUBLICClient, context) } : { ecr: createClient(ECRClient, context) };
  await buildAndPush(request, clients, {
    log: actionsLogger,
    clock: systemClock,
    exec: actionsExec,
    setSecret: maskSecret,
    writeSummary: writeJobSummary,
    setOutputs: setBuildOutputs,
    signal: abortOnCancel(),
  });
});
