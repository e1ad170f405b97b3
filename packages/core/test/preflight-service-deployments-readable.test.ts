import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { serviceDeploymentsReadableCheck } from '../src/preflight/checks/service-deployments-readable';
import { silentLogger } from '../src/common/logger';
import { runPreflight } from '../src/preflight/run';
import { preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const SD = `${PREFIX}:service-deployment/prod/web/sd-1`;
const REVISION = `${PREFIX}:service-revision/prod/web/rev-1`;
const service: Service = { serviceName: 'web', serviceArn: `${PREFIX}:service/prod/web`, currentServiceDeployment: SD };
const check = () => serviceDeploymentsReadableCheck({ ecs, cluster: 'prod', service });
const denied = (action: string) =>
  Object.assign(
    new Error(`User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ${action} on resource: *`),
    {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    },
  );

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: SD }] });
  ecsMock
    .on(DescribeServiceDeploymentsCommand)
    .resolves({ serviceDeployments: [{ serviceDeploymentArn: SD, targetServiceRevision: { arn: REVISION } }] });
  ecsMock.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [{ serviceRevisionArn: REVISION }] });
});

describe('serviceDeploymentsReadableCheck', () => {
  test('protects: a deployment nobody can follow must not be started', () => {
    expect(check()).toMatchObject({ id: 'service-deployments-readable', protects: true });
  });

  test("passes once each of the three reads answered, on the service's current service deployment", async () => {
    const report = await preflightOf(check());
    expect(report.rows[0]).toMatchObject({ status: 'pass' });
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)[0].args[0].input).toEqual({ serviceDeploymentArns: [SD] });
    expect(ecsMock.commandCalls(DescribeServiceRevisionsCommand)[0].args[0].input).toEqual({ serviceRevisionArns: [REVISION] });
  });

  test.each(['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'])(
    'fails before any change when the role may not call %s, naming it',
    async (action) => {
      const command = {
        'ecs:ListServiceDeployments': ListServiceDeploymentsCommand,
        'ecs:DescribeServiceDeployments': DescribeServiceDeploymentsCommand,
        'ecs:DescribeServiceRevisions': DescribeServiceRevisionsCommand,
      }[action];
      ecsMock.on(command as typeof ListServiceDeploymentsCommand).rejects(denied(action));
      // The row says what could not be checked; the refusal itself goes on to the step's one error handler.
      const log = silentLogger();
      const thrown = await runPreflight([check()], { log }).catch((error: unknown) => error);
      expect((thrown as Error).name).toBe('AccessDeniedException');
      expect(log.lines.join('\n')).toContain(`may not call ${action} (AccessDeniedException). Nothing was changed.`);
    },
  );
});
