import { describe as group, expect, test } from '@jest/globals';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import type { ApiCall } from '@ecs-deploy/sandbox';
import { mutatingCalls } from '../support/bad-input';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog, createBlueGreenService } from '../support/blue-green';
import { createCodeDeployService } from '../support/codedeploy';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// deploy-ecs's service settings (enable-execute-command, propagate-tags, enable-ecs-managed-tags,
// health-check-grace-period) through the bundled action against the sandbox: sent with the update on a new revision,
// alone on a revision the service already runs, without a new deployment either way (UpdateService, API reference:
// each "doesn't trigger a new service deployment"); refused before any change where UpdateService refuses them; and
// desired-count's warning when Application Auto Scaling manages the count.
const sandbox = useSandbox({ timeScale: 0.05, catalog: blueGreenCatalog() });

const deploy = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runBundledAction('deploy-ecs', inputs, { env: { ...sandbox.env(), ...env } });

// The sandbox's own ecsTaskRole: it exists and trusts ECS tasks, as pre-flight's roles check requires.
const TASK_ROLE = 'arn:aws:iam::000000000000:role/ecsTaskRole';
const callsSince = (from: number): ApiCall[] => sandbox.calls.slice(from);
const operations = (calls: ApiCall[]) => calls.map((call) => `${call.service}:${call.operation}`);
const warningsOf = (run: ActionRun) => run.lines.map((line) => line.text).filter((text) => text.startsWith('::warning::'));

async function tasksOf(cluster: string, service: string, status: 'RUNNING' | 'STOPPED' = 'RUNNING'): Promise<Task[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: status }));
  return taskArns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns, include: ['TAGS'] }))).tasks ?? []) : [];
}

/** A rolling service whose v1 tasks start healthy (with the blue/green catalog, an image runs only when scripted). */
function rollingService(spec: Omit<Parameters<typeof createService>[1], 'image'>) {
  const image = `${REGISTRY}/${spec.service}:v1`;
  sandbox.script(image, { kind: 'healthy', startMs: 100 });
  return createService(sandbox, { ...spec, image });
}

const settingsOf = async (cluster: string, service: string) => {
  const live = await describe(sandbox, cluster, service);
  return {
    enableExecuteCommand: live.enableExecuteCommand,
    propagateTags: live.propagateTags,
    enableECSManagedTags: live.enableECSManagedTags,
    healthCheckGracePeriodSeconds: live.healthCheckGracePeriodSeconds,
  };
};

const ALL_SETTINGS = {
  'enable-execute-command': 'true',
  'propagate-tags': 'SERVICE',
  'enable-ecs-managed-tags': 'true',
  'health-check-grace-period': '2m',
};
const CHANGED = {
  enableExecuteCommand: true,
  propagateTags: 'SERVICE',
  enableECSManagedTags: true,
  healthCheckGracePeriodSeconds: 120,
};

group('deploy-ecs service settings on a rolling service', () => {
  test('with a new revision, the settings go with its UpdateService and its new tasks have ECS Exec', async () => {
    const { cluster, service } = await rollingService({ service: 'exec-new', taskRoleArn: TASK_ROLE });
    const image = `${REGISTRY}/exec-new:v2`;
    sandbox.script(image, { kind: 'healthy', startMs: 200 });
    const before = sandbox.calls.length;

    const run = await deploy({ cluster, service, image, ...ALL_SETTINGS });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(operations(callsSince(before)).filter((op) => op === 'ecs:UpdateService')).toHaveLength(1);
    expect(await settingsOf(cluster, service)).toEqual(CHANGED);
    const running = await tasksOf(cluster, service);
    expect(running.map((task) => [task.taskDefinitionArn?.split('/').pop(), task.enableExecuteCommand])).toEqual([
      ['exec-new:2', true],
      ['exec-new:2', true],
    ]);
    // enable-ecs-managed-tags: the new tasks carry the managed tags.
    expect(running.map((task) => task.tags?.find((tag) => tag.key === 'aws:ecs:serviceName')?.value)).toEqual([service, service]);
    expect(run.summary).toContain('- enableExecuteCommand: false → true');
    expect(run.summary).toContain('- propagateTags: NONE → SERVICE');
    expect(run.summary).toContain('- enableECSManagedTags: false → true');
    expect(run.summary).toContain('- healthCheckGracePeriodSeconds: 0 → 120');
  });

  test('with the revision the service already runs, they are set without a new deployment, and running tasks keep theirs', async () => {
    const { cluster, service, taskDefinitionArn } = await rollingService({ service: 'exec-same', taskRoleArn: TASK_ROLE });
    const deploymentBefore = (await describe(sandbox, cluster, service)).deployments?.map((d) => d.id);
    const tasksBefore = (await tasksOf(cluster, service)).map((task) => task.taskArn).sort();
    const before = sandbox.calls.length;

    const run = await deploy({ cluster, service, ...ALL_SETTINGS });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': taskDefinitionArn, 'deployment-id': '' });
    const calls = operations(callsSince(before));
    expect(calls.filter((op) => op === 'ecs:UpdateService')).toHaveLength(1);
    expect(calls).not.toContain('ecs:RegisterTaskDefinition');
    const live = await describe(sandbox, cluster, service);
    expect(live.deployments?.map((d) => d.id)).toEqual(deploymentBefore);
    expect(await settingsOf(cluster, service)).toEqual(CHANGED);
    const running = await tasksOf(cluster, service);
    expect(running.map((task) => task.taskArn).sort()).toEqual(tasksBefore);
    expect(running.map((task) => [task.enableExecuteCommand, task.tags])).toEqual([
      [false, []],
      [false, []],
    ]);
    expect(warningsOf(run)).toContainEqual(
      expect.stringContaining('enableExecuteCommand, propagateTags, enableECSManagedTags apply to tasks started from now on'),
    );
    expect(run.summary).toContain('the service settings were set without a new deployment');
    expect(run.summary).toContain('- healthCheckGracePeriodSeconds: 0 → 120');
  });

  test('settings the service already has send no UpdateService', async () => {
    const { cluster, service } = await rollingService({ service: 'exec-equal', healthCheckGracePeriodSeconds: 30 });
    const before = sandbox.calls.length;

    const run = await deploy({
      cluster,
      service,
      'propagate-tags': 'NONE',
      'health-check-grace-period': '30',
      'enable-execute-command': 'false',
    });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(mutatingCalls(callsSince(before))).toEqual([]);
  });

  test('enable-execute-command on a revision without a task role is refused before any change', async () => {
    const { cluster, service } = await rollingService({ service: 'exec-norole' });
    const before = sandbox.calls.length;

    const run = await deploy({ cluster, service, image: `${REGISTRY}/exec-norole:v2`, 'enable-execute-command': 'true' });

    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error).toContain('Input \'enable-execute-command\' is true, but the revision service "exec-norole" would run');
    expect(error).toContain('has no taskRoleArn');
    expect(mutatingCalls(callsSince(before))).toEqual([]);
  });

  test('with preflight false, the task role is still checked before any change', async () => {
    const { cluster, service } = await rollingService({ service: 'exec-norole-off' });
    const before = sandbox.calls.length;

    const run = await deploy({ cluster, service, 'enable-execute-command': 'true', preflight: 'false' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringContaining("Input 'enable-execute-command' is true, but the revision")]);
    expect(mutatingCalls(callsSince(before))).toEqual([]);
  });

  test.each([
    ['enable-execute-command', 'yes', /^Input 'enable-execute-command' must be true or false; got "yes"\.$/],
    ['propagate-tags', 'ALL', /^Input 'propagate-tags' must be one of TASK_DEFINITION, SERVICE, NONE; got "ALL"\.$/],
    ['enable-ecs-managed-tags', 'on', /^Input 'enable-ecs-managed-tags' must be true or false; got "on"\.$/],
    [
      'health-check-grace-period',
      '-5',
      /^Input 'health-check-grace-period' must be whole seconds from 0 to 2147483647.*got "-5": it is not a duration\.$/,
    ],
    ['health-check-grace-period', '1.5s', /^Input 'health-check-grace-period' .*got "1.5s": ECS takes whole seconds\.$/],
    [
      'health-check-grace-period',
      '2147483648',
      /^Input 'health-check-grace-period' .*got "2147483648": ECS takes at most 2147483647 seconds\.$/,
    ],
  ])('%s: %s is refused before any AWS call', async (input, value, error) => {
    const before = sandbox.calls.length;
    const run = await deploy({ cluster: 'prod', service: 'exec-new', [input]: value });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(error)]);
    expect(callsSince(before)).toEqual([]);
  });
});

group('deploy-ecs service settings on a blue/green service', () => {
  test('with the revision it already runs, they are set without a new service deployment', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'bg-settings' });
    const live = await describe(sandbox, bg.cluster, bg.service);
    const before = sandbox.calls.length;

    const run = await deploy({
      cluster: bg.cluster,
      service: bg.service,
      'propagate-tags': 'TASK_DEFINITION',
      'health-check-grace-period': '45s',
    });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'service-deployment-arn': '' });
    const after = await describe(sandbox, bg.cluster, bg.service);
    expect(after.currentServiceDeployment).toBe(live.currentServiceDeployment);
    expect(after.deployments?.map((d) => d.id)).toEqual(live.deployments?.map((d) => d.id));
    expect([after.propagateTags, after.healthCheckGracePeriodSeconds]).toEqual(['TASK_DEFINITION', 45]);
    expect(operations(callsSince(before)).filter((op) => op === 'ecs:UpdateService')).toHaveLength(1);
  });

  test('with a new revision, the service deployment it starts is followed and the settings are set', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'bg-settings-new' });

    const run = await deploy({
      cluster: bg.cluster,
      service: bg.service,
      image: `${BLUE_GREEN_REPOSITORY}:v2`,
      'enable-ecs-managed-tags': 'true',
      // The new tasks start under it: a loaded machine's slow process start is not taken for failed health checks.
      'health-check-grace-period': '60',
    });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['service-deployment-arn']).toMatch(/:service-deployment\//);
    expect((await describe(sandbox, bg.cluster, bg.service)).enableECSManagedTags).toBe(true);
    expect(run.summary).toContain('- enableECSManagedTags: false → true');
    expect(run.summary).toContain('- healthCheckGracePeriodSeconds: 0 → 60');
  });
});

group('deploy-ecs service settings on a CODE_DEPLOY service', () => {
  test('enable-execute-command is refused before any change, naming the setting', async () => {
    const cd = await createCodeDeployService(sandbox, { service: 'cd-exec' });
    const before = sandbox.calls.length;

    const run = await deploy({
      cluster: cd.cluster,
      service: cd.service,
      image: `${BLUE_GREEN_REPOSITORY}:v2`,
      'enable-execute-command': 'true',
    });

    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error).toContain('Input \'enable-execute-command\': service "cd-exec" uses the CODE_DEPLOY deployment controller');
    expect(error).toContain('enableExecuteCommand (false → true');
    expect(mutatingCalls(callsSince(before))).toEqual([]);
  });

  test('with the revision it already runs, the grace period and tags options are set by UpdateService, without a CodeDeploy deployment', async () => {
    const cd = await createCodeDeployService(sandbox, { service: 'cd-tags' });
    const before = sandbox.calls.length;

    const run = await deploy({ cluster: cd.cluster, service: cd.service, 'propagate-tags': 'SERVICE', 'health-check-grace-period': '90' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    const calls = operations(callsSince(before));
    expect(calls.filter((op) => op === 'ecs:UpdateService')).toHaveLength(1);
    expect(calls).not.toContain('codedeploy:CreateDeployment');
    const live = await describe(sandbox, cd.cluster, cd.service);
    expect([live.propagateTags, live.healthCheckGracePeriodSeconds]).toEqual(['SERVICE', 90]);
  });
});

group('deploy-ecs service settings on a CODE_DEPLOY service with a new revision', () => {
  test('the grace period is set by UpdateService before the CodeDeploy deployment is created', async () => {
    const cd = await createCodeDeployService(sandbox, { service: 'cd-grace' });
    const before = sandbox.calls.length;

    const run = await deploy({
      cluster: cd.cluster,
      service: cd.service,
      image: `${BLUE_GREEN_REPOSITORY}:v2`,
      'health-check-grace-period': '75',
      wait: 'false',
    });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('registered');
    expect(run.outputs['codedeploy-deployment-id']).toMatch(/^d-/);
    const changes = operations(callsSince(before)).filter((op) => op === 'ecs:UpdateService' || op === 'codedeploy:CreateDeployment');
    expect(changes).toEqual(['ecs:UpdateService', 'codedeploy:CreateDeployment']);
    expect((await describe(sandbox, cd.cluster, cd.service)).healthCheckGracePeriodSeconds).toBe(75);
  });
});

group('deploy-ecs desired-count and Application Auto Scaling', () => {
  const autoscaling = () => new ApplicationAutoScalingClient(clientConfig(sandbox));

  test('a service with a scalable target is warned that the autoscaler will move the count, with its bounds', async () => {
    const { cluster, service } = await rollingService({ service: 'scaled' });
    await autoscaling().send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: `service/${cluster}/${service}`,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 4,
      }),
    );

    const run = await deploy({ cluster, service, 'desired-count': '6' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(warningsOf(run)).toContainEqual(
      expect.stringContaining(
        `Application Auto Scaling manages the desired count of service/${cluster}/${service} (MinCapacity 2, MaxCapacity 4): desired-count 6 is set, but the autoscaler will move it again on its next scaling activity, above its maximum: the autoscaler will lower it to at most 4.`,
      ),
    );
    expect((await describe(sandbox, cluster, service)).desiredCount).toBe(6);
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('a service without a scalable target gets no such warning', async () => {
    const { cluster, service } = await rollingService({ service: 'unscaled' });

    const run = await deploy({ cluster, service, 'desired-count': '3' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(warningsOf(run).filter((text) => text.includes('Auto Scaling'))).toEqual([]);
    expect(sandbox.calls.some((call) => call.operation === 'DescribeScalableTargets')).toBe(true);
  });

  test('a role that may not call DescribeScalableTargets gets a warning naming it, never a failure', async () => {
    const { cluster, service } = await rollingService({ service: 'scaled-denied' });
    const key = 'no-autoscaling-key';
    sandbox.setIamPolicy(
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'application-autoscaling:DescribeScalableTargets', Resource: '*' },
        ],
      },
      key,
    );

    const run = await deploy({ cluster, service, 'desired-count': '1' }, { AWS_ACCESS_KEY_ID: key });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(warningsOf(run)).toContainEqual(expect.stringContaining('application-autoscaling:DescribeScalableTargets'));
    expect((await describe(sandbox, cluster, service)).desiredCount).toBe(1);
  });
});
