import { clientFactory, systemClock } from '@ecs-deploy/core/common';
import { abortOnCancel, actionsLogger, maskSecret, openDeploymentTrail, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { runHealthCheck } from '@ecs-deploy/core/use-cases';
import { readHealthInputs } from './inputs';
import { setDeploymentActionOutput, setHealthOutputs } from './outputs';

await runAction(async () => {
  const inputs = readHealthInputs();
  await runHealthCheck(
    inputs,
    { aws: clientFactory('verify-health') },
    {
      log: actionsLogger,
      clock: systemClock,
      setSecret: maskSecret,
      writeSummary: writeJobSummary,
      setOutputs: setHealthOutputs,
      setDeploymentAction: setDeploymentActionOutput,
      trail: openDeploymentTrail(inputs.auditTrail, actionsLogger),
      signal: abortOnCancel(),
    },
  );
});
