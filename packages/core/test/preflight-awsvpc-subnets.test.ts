import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { awsvpcSubnetsCheck } from '../src/preflight/checks/awsvpc-subnets';
import type { PlacementOverrides } from '../src/ecs/task-placement';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightFailure, preflightOf } from './support/preflight';

const awsvpc: RegistrableDefinition = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [{ name: 'web' }],
};
const bridge: RegistrableDefinition = { family: 'batch', networkMode: 'bridge', containerDefinitions: [{ name: 'batch' }] };
const none: PlacementOverrides = { subnets: [], securityGroups: [] };
const service: Service = {
  serviceName: 'web',
  launchType: 'FARGATE',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-app'] } },
};

describe('awsvpcSubnetsCheck', () => {
  test("an awsvpc task borrows the service's subnets, and the placement is handed on", async () => {
    const c = awsvpcSubnetsCheck({ definition: awsvpc, service, overrides: none });
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'awsvpc network mode: subnets subnet-a, subnet-b (from service web)' });
    expect(report.valueOf(c)?.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual(['subnet-a', 'subnet-b']);
  });

  test('given subnets win, and the table says they came from the input', async () => {
    const report = await preflightOf(awsvpcSubnetsCheck({ definition: awsvpc, service, overrides: { ...none, subnets: ['subnet-z'] } }));
    expect(report.rows[0].message).toBe("awsvpc network mode: subnets subnet-z (from the 'subnets' input)");
  });

  test('a bridge task needs no subnets', async () => {
    const report = await preflightOf(awsvpcSubnetsCheck({ definition: bridge, overrides: none }));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'bridge network mode: no subnets needed' });
  });

  test("an awsvpc task with neither subnets nor a service fails with today's message", async () => {
    const error = await preflightFailure(awsvpcSubnetsCheck({ definition: awsvpc, overrides: none }));
    expect(error.message).toBe(
      "Input 'subnets' is needed: task definition family web uses the awsvpc network mode, so the task must be placed in subnets, and no 'service' was given to borrow them from. " +
        "Set 'subnets' (one subnet ID a line, e.g. subnet-0a1b2c3d) and 'security-groups', or set 'service'. Nothing was started.",
    );
    expect(error.input).toBe('subnets');
  });

  test("subnets given for a bridge task fail with today's message", async () => {
    const error = await preflightFailure(awsvpcSubnetsCheck({ definition: bridge, overrides: { ...none, subnets: ['subnet-a'] } }));
    expect(error.message).toBe(
      "Input 'subnets' applies only to task definitions in the awsvpc network mode, but family batch uses bridge mode; remove it.",
    );
  });
});
