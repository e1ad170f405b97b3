import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  InvalidNextTokenException,
  ObjectNotFoundException,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';
import { createSteadyService } from './support/harness';

// Application Auto Scaling's scalable targets through the real SDK client over HTTP (awsJson1_1, target prefix
// AnyScaleFrontendService): registered, described, updated and deregistered as the API reference says, and refused
// where AWS refuses.

let sandbox: Sandbox;
const autoscaling = () => new ApplicationAutoScalingClient(clientConfig(sandbox, 1));
const DIMENSION = 'ecs:service:DesiredCount';

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  await createSteadyService(sandbox, { cluster: 'prod', service: 'web', image: 'web:1', desiredCount: 1 });
  await createSteadyService(sandbox, { cluster: 'prod', service: 'api', image: 'api:1', desiredCount: 1 });
});
afterAll(async () => sandbox.stop());

describe('Application Auto Scaling scalable targets', () => {
  test('a registered target is described with its bounds, role, time and ARN, and registering again updates it', async () => {
    const registered = await autoscaling().send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/prod/web',
        ScalableDimension: DIMENSION,
        MinCapacity: 1,
        MaxCapacity: 5,
      }),
    );
    expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]+$/);
    await autoscaling().send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/prod/web',
        ScalableDimension: DIMENSION,
        MaxCapacity: 8,
      }),
    );

    const answer = await autoscaling().send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/prod/web'], ScalableDimension: DIMENSION }),
    );

    expect(answer.ScalableTargets).toEqual([
      expect.objectContaining({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/prod/web',
        ScalableDimension: DIMENSION,
        MinCapacity: 1,
        MaxCapacity: 8,
        RoleARN: expect.stringContaining('AWSServiceRoleForApplicationAutoScaling_ECSService'),
        CreationTime: expect.any(Date),
        ScalableTargetARN: registered.ScalableTargetARN,
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      }),
    ]);
  });

  test('an ECS service that does not exist cannot be registered', async () => {
    await expect(
      autoscaling().send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/prod/nothing',
          ScalableDimension: DIMENSION,
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    ).rejects.toThrow(ValidationException);
  });

  test.each([
    ['no MinCapacity on a new target', { MaxCapacity: 2 }, /required when registering a new scalable target/],
    ['a minimum above the maximum', { MinCapacity: 3, MaxCapacity: 2 }, /Minimum capacity cannot be greater than maximum capacity/],
    ['a negative minimum', { MinCapacity: -1, MaxCapacity: 2 }, /MinCapacity must be an integer greater than or equal to 0/],
  ])('%s is a ValidationException', async (_name, bounds, message) => {
    const error = await autoscaling()
      .send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/prod/api',
          ScalableDimension: DIMENSION,
          ...bounds,
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toMatch(message);
  });

  test('a dimension that is not the ECS service desired count is unsupported', async () => {
    await expect(
      autoscaling().send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/prod/api',
          ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    ).rejects.toThrow('Unsupported service namespace, resource type or scalable dimension');
  });

  test('an unknown namespace fails the enum constraint', async () => {
    const error = await autoscaling()
      .send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'nope' as never }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toContain("at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set");
  });

  test('a scalable dimension without resource ids, MaxResults above 50 and a bad token are refused', async () => {
    const describeWith = (input: object) =>
      autoscaling()
        .send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ...input }))
        .catch((e: unknown) => e);
    expect(await describeWith({ ScalableDimension: DIMENSION })).toBeInstanceOf(ValidationException);
    expect(await describeWith({ MaxResults: 51 })).toBeInstanceOf(ValidationException);
    expect(await describeWith({ NextToken: 'forged' })).toBeInstanceOf(InvalidNextTokenException);
  });

  test('pages of MaxResults carry a NextToken to the rest', async () => {
    await autoscaling().send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/prod/api',
        ScalableDimension: DIMENSION,
        MinCapacity: 0,
        MaxCapacity: 2,
      }),
    );
    const first = await autoscaling().send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', MaxResults: 1 }));
    expect(first.ScalableTargets).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    const second = await autoscaling().send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', MaxResults: 1, NextToken: first.NextToken }),
    );
    expect(second.ScalableTargets?.map((t) => t.ResourceId)).not.toEqual(first.ScalableTargets?.map((t) => t.ResourceId));
    expect(second.NextToken).toBeUndefined();
  });

  test('a deregistered target is gone, and deregistering it again is ObjectNotFoundException', async () => {
    const target = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/api', ScalableDimension: DIMENSION } as const;
    await autoscaling().send(new DeregisterScalableTargetCommand(target));
    const left = await autoscaling().send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/prod/api'] }),
    );
    expect(left.ScalableTargets).toEqual([]);
    const again = await autoscaling()
      .send(new DeregisterScalableTargetCommand(target))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ObjectNotFoundException);
    expect((again as Error).message).toBe(
      'No scalable target registered for service namespace: ecs, resource ID: service/prod/api, scalable dimension: ecs:service:DesiredCount',
    );
  });

  test('the call log names the IAM action of each call', async () => {
    const calls = sandbox.calls.filter((call) => call.service === 'application-autoscaling');
    expect(new Set(calls.map((call) => call.iamAction))).toEqual(
      new Set([
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DeregisterScalableTarget',
      ]),
    );
  });
});
