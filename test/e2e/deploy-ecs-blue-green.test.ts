import { describe as group, expect, test } from '@jest/globals';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  type DeploymentLifecycleHook,
} from '@aws-sdk/client-ecs';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService, serviceDeploymentEnded, type BlueGreenOptions } from '../support/blue-green';
import { errorsOf, runBundledAction, type RunOptions } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// ECS's intervals at a fiftieth: a minute of bake is 1.2 s, a stage (at least 1 s) 20 ms; the action polls in real seconds.
const sandbox = useSandbox({ timeScale: 0.02 });
const ecs = () => new ECSClient(clientConfig(sandbox));

const deploy = (inputs: Record<string, string>, options: RunOptions = {}) =>
  runBundledAction('deploy-ecs', inputs, { ...options, env: sandbox.env() });

/** A blue/green service on v1, and the inputs that deploy v2 (or `tag`) to it. */
async function serviceFor(options: BlueGreenOptions, tag = 'v2') {
  const bg = await createBlueGreenService(sandbox, options);
  return {
    bg,
    inputs: { cluster: bg.cluster, service: bg.service, container: bg.containerName, image: `${BLUE_GREEN_REPOSITORY}:${tag}` },
  };
}

const pauseAt = (stage: DeploymentLifecycleHook['lifecycleStages'], timeoutInMinutes?: number): DeploymentLifecycleHook[] => [
  { targetType: 'PAUSE', lifecycleStages: stage, ...(timeoutInMinutes ? { timeoutConfiguration: { timeoutInMinutes } } : {}) },
];

async function serviceDeployment(arn: string) {
  const answer = await ecs().send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return answer.serviceDeployments?.[0];
}

group('deploy-ecs on ECS-native blue/green, linear and canary services', () => {
  // A step or canary bake of two minutes (2.4 s) is long enough for the step's 1 s polls to see its weight.
  test.each<[string, Partial<BlueGreenOptions>, RegExp]>([
    ['BLUE_GREEN', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 }, /Stage BAKE_TIME \(IN_PROGRESS\): production 100%/],
    [
      'LINEAR',
      { strategy: 'LINEAR', bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 2 } },
      /Stage PRODUCTION_TRAFFIC_SHIFT \(IN_PROGRESS\): production 50%, test 100% on the new revision/,
    ],
    [
      'CANARY',
      { strategy: 'CANARY', bakeTimeInMinutes: 0, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 } },
      /Stage PRODUCTION_TRAFFIC_SHIFT \(IN_PROGRESS\): production 10%, test 100% on the new revision/,
    ],
  ])('%s: the service deployment is followed stage by stage to SUCCESSFUL, each traffic step logged', async (strategy, options, step) => {
    const { bg, inputs } = await serviceFor({ service: `bg-${strategy.toLowerCase().replace('_', '-')}`, ...options });

    const run = await deploy(inputs);

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'lifecycle-stage': 'CLEAN_UP', 'hook-id': '' });
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    const arn = run.outputs['service-deployment-arn'];
    expect(arn).toMatch(new RegExp(`:service-deployment/${bg.cluster}/${bg.service}/`));
    expect((await serviceDeployment(arn))?.status).toBe('SUCCESSFUL');
    // The strategy's traffic step, logged as it happened; the stages in the summary's timeline.
    expect(run.log).toMatch(step);
    expect(run.summary).toMatch(/Stage CLEAN_UP \(SUCCESSFUL\)/);
  });

  test('wait-until bake returns green with status baking once production is on the new revision, long before the bake ends', async () => {
    // 60 minutes of bake is 72 s here: the step must not wait for it.
    const { inputs } = await serviceFor({ service: 'bg-bake', afterFirstDeployment: { bakeTimeInMinutes: 60 } });

    const run = await deploy({ ...inputs, 'wait-until': 'bake' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'baking', 'lifecycle-stage': 'BAKE_TIME' });
    expect(run.finishedAt - run.startedAt).toBeLessThan(20_000);
    expect((await serviceDeployment(run.outputs['service-deployment-arn']))?.lifecycleStage).toBe('BAKE_TIME');
  });

  test('wait-until paused returns at the PAUSE hook; a later step given service-deployment-arn follows it to the end after CONTINUE', async () => {
    const { bg, inputs } = await serviceFor({ service: 'bg-paused', lifecycleHooks: pauseAt(['POST_TEST_TRAFFIC_SHIFT']) });

    const paused = await deploy({ ...inputs, 'wait-until': 'paused' });

    expect(errorsOf(paused)).toEqual([]);
    expect(paused.outputs).toMatchObject({ status: 'paused', 'lifecycle-stage': 'POST_TEST_TRAFFIC_SHIFT' });
    expect(paused.outputs['hook-id']).toMatch(/^ecs-pause-/);
    const arn = paused.outputs['service-deployment-arn'];
    await ecs().send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: paused.outputs['hook-id'], action: 'CONTINUE' }),
    );

    const followed = await deploy({ cluster: bg.cluster, service: bg.service, 'service-deployment-arn': arn });

    expect(errorsOf(followed)).toEqual([]);
    expect(followed.outputs).toMatchObject({
      status: 'succeeded',
      'service-deployment-arn': arn,
      'task-definition-arn': paused.outputs['task-definition-arn'],
      'previous-task-definition-arn': paused.outputs['previous-task-definition-arn'],
    });
    expect(paused.outputs['previous-task-definition-arn']).toBe(bg.taskDefinitionArn);
    expect(followed.log).not.toMatch(/Registered|UpdateService started/);
  });

  test('given service-deployment-arn of a deployment that has ended, previous-task-definition-arn is the revision that completed before it, not its own', async () => {
    const { bg, inputs } = await serviceFor({ service: 'bg-ended', lifecycleHooks: pauseAt(['POST_TEST_TRAFFIC_SHIFT']) });
    const paused = await deploy({ ...inputs, 'wait-until': 'paused' });
    const arn = paused.outputs['service-deployment-arn'];
    await ecs().send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: paused.outputs['hook-id'], action: 'CONTINUE' }),
    );
    expect(await serviceDeploymentEnded(sandbox, arn)).toBe('SUCCESSFUL');

    const followed = await deploy({ cluster: bg.cluster, service: bg.service, 'service-deployment-arn': arn });

    expect(errorsOf(followed)).toEqual([]);
    expect(followed.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': paused.outputs['task-definition-arn'],
      'previous-task-definition-arn': bg.taskDefinitionArn,
    });
    expect(followed.log).toMatch(/Serving before the deployment followed: bg-ended:1 \(service deployment \S+ .*before service deployment/);
  });

  test('a Lambda hook that fails is a rolled-back deploy naming the hook', async () => {
    const hookTargetArn = `arn:aws:lambda:${sandbox.region}:${sandbox.accountId}:function:bg-gate`;
    const remove = sandbox.registerLambdaHook(hookTargetArn, () => ({ hookStatus: 'FAILED' }));
    try {
      const { inputs } = await serviceFor({
        service: 'bg-hook-fails',
        lifecycleHooks: [
          {
            targetType: 'AWS_LAMBDA',
            hookTargetArn,
            roleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsLambdaHooks`,
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          },
        ],
      });

      const run = await deploy(inputs);

      expect(run.exitCode).toBe(1);
      expect(run.outputs.status).toBe('rolled-back');
      expect(errorsOf(run)).toEqual([
        expect.stringMatching(
          /failed: Lambda hook \S+ \(arn:aws:lambda:[^)]*:function:bg-gate\) FAILED \(deployment failed: hook execution failure\(s\) detected\)/,
        ),
      ]);
    } finally {
      remove();
    }
  });

  test("the circuit breaker's trip is a rolled-back deploy with its count", async () => {
    const { inputs } = await serviceFor({ service: 'bg-breaker', deploymentCircuitBreaker: { enable: true, rollback: true } }, 'crashes');
    sandbox.script(`${BLUE_GREEN_REPOSITORY}:crashes`, { kind: 'exit', exitCode: 1, afterMs: 200, logs: ['Error: PORT is not set'] });

    const run = await deploy(inputs);

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    // The cause ECS gives, and the green tasks' own stop reasons, as a rolling deploy's diagnosis gives them.
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /circuit breaker tripped: \d+ failed tasks of its threshold \d+.*essential container "bg-breaker" exited with code 1/,
      ),
    ]);
  });

  test('without a circuit breaker, green tasks that crash at start fail the deploy within seconds, not at the timeout', async () => {
    const { inputs } = await serviceFor({ service: 'bg-crash-loop' }, 'crashes');
    sandbox.script(`${BLUE_GREEN_REPOSITORY}:crashes`, { kind: 'exit', exitCode: 1, afterMs: 200, logs: ['Error: PORT is not set'] });

    const started = Date.now();
    const run = await deploy({ ...inputs, timeout: '1m' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(30_000);
    // The stage it was stuck in, why ECS did not stop it, and the green tasks' own stop reasons.
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /\d+ tasks of the new revision stopped while the service deployment was at SCALE_UP.*circuit breaker is off.*essential container "bg-crash-loop" exited with code 1/s,
      ),
    ]);
  });

  test('an alarm in ALARM during the bake rolls the deploy back, naming the alarm', async () => {
    const cloudwatch = new CloudWatchClient(clientConfig(sandbox));
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'bg-bake-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const { inputs } = await serviceFor({
      service: 'bg-alarm',
      alarms: { alarmNames: ['bg-bake-5xx'], enable: true, rollback: true },
      afterFirstDeployment: { bakeTimeInMinutes: 30 },
    });
    let raised: Promise<unknown> | undefined;

    const run = await deploy(inputs, {
      // The alarm goes off as the step sees the bake begin.
      onLine: (line) => {
        if (!raised && line.text.includes('Stage BAKE_TIME'))
          raised = cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'bg-bake-5xx', StateValue: 'ALARM', StateReason: 'test' }));
      },
    });
    await raised;

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(errorsOf(run)).toEqual([expect.stringMatching(/CloudWatch alarm "bg-bake-5xx" went into ALARM/)]);
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'bg-bake-5xx', StateValue: 'OK', StateReason: 'test' }));
  });

  test('a pause nobody answers times out and rolls back: a rolled-back deploy naming the timed-out hook', async () => {
    // A 2-minute pause is 2.4 s here.
    const { inputs } = await serviceFor({ service: 'bg-pause-times-out', lifecycleHooks: pauseAt(['POST_SCALE_UP'], 2) });

    const run = await deploy(inputs);

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(errorsOf(run)).toEqual([expect.stringMatching(/failed: PAUSE hook ecs-pause-\S+ TIMED_OUT/)]);
  });

  test('an explicit timeout shorter than the bake is refused before any change', async () => {
    const { bg, inputs } = await serviceFor({ service: 'bg-short-timeout', afterFirstDeployment: { bakeTimeInMinutes: 30 } });
    const changes = () => sandbox.calls.filter((call) => /^(RegisterTaskDefinition|UpdateService)$/.test(call.operation)).length;
    const before = changes();

    const run = await deploy({ ...inputs, timeout: '10m' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(/^Input 'timeout' \(10m\) is shorter than service "bg-short-timeout"'s bake time \(30m\)/),
    ]);
    expect(changes()).toBe(before);
    expect(bg.service).toBe('bg-short-timeout');
  });
});
