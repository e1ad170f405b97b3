import { describe as group, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContinueDeploymentCommand,
  GetDeploymentCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog } from '../support/blue-green';
import { mutatingCalls } from '../support/bad-input';
import { codeDeployClient, createCodeDeployService, type CodeDeployServiceOptions } from '../support/codedeploy';
import { waitForTaskSetSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun, type RunOptions } from '../support/run-action';
import { until } from '../support/until';
import { useSandbox } from '../support/use-sandbox';
import { parse as parseYaml } from 'yaml';

// CodeDeploy's and ECS's intervals at a twenty-fifth: a minute is 2.4 s (a canary's 5 minutes 12 s), a lifecycle
// event (at least 1 s) 40 ms, a target group's health check interval (30 s) 1.2 s, so that a replacement's process
// has time to start on a busy machine; the action polls in real seconds.
const sandbox = useSandbox({ timeScale: 0.04, catalog: blueGreenCatalog() });
const codedeploy = () => codeDeployClient(sandbox);

const deploy = (inputs: Record<string, string>, options: RunOptions = {}) =>
  runBundledAction('deploy-ecs', inputs, { ...options, env: sandbox.env() });

/** A CODE_DEPLOY service on v1, steady, and the inputs that deploy `tag` to it. */
async function serviceFor(options: CodeDeployServiceOptions, tag = 'v2') {
  const cd = await createCodeDeployService(sandbox, options);
  await waitForTaskSetSteady(sandbox, cd.cluster, cd.service);
  return { cd, inputs: { cluster: cd.cluster, service: cd.service, image: `${BLUE_GREEN_REPOSITORY}:${tag}` } };
}

async function deploymentInfo(deploymentId: string): Promise<DeploymentInfo> {
  return (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
}

async function answerThrough(url: string): Promise<string> {
  return (await fetch(url)).text();
}

/** The properties of the step's `::error` annotation (the toolkit writes `title=…,file=…,line=…`), read as file, line, title. */
function errorAnnotation(run: ActionRun): string | undefined {
  const line = run.lines.map((l) => l.text).find((text) => text.startsWith('::error'));
  const properties = line === undefined ? undefined : /^::error ([^:]*)::/.exec(line)?.[1];
  if (properties === undefined) return undefined;
  const pairs = properties.split(',');
  const get = (key: string) => pairs.find((pair) => pair.startsWith(`${key}=`))?.slice(key.length + 1);
  return `file=${get('file')},line=${get('line')},title=${get('title')}`;
}

/** A file in a fresh folder, for the appspec and task-definition inputs. */
function fileWith(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'codedeploy-e2e-')), name);
  writeFileSync(path, content);
  return path;
}

/** The group's blue/green settings with a termination wait of a minute (2.4 s here), for deploys watched to their end. */
const oneMinuteTermination = {
  group: {
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' as const, waitTimeInMinutes: 0 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 1 },
    },
  },
};

/** A CODE_DEPLOY service on v1 whose group holds a deployment at Ready for an hour, with a one-minute termination wait. */
const pausedAtReady = (service: string) =>
  serviceFor({
    service,
    group: {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 60 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 1 },
      },
    },
  });

const hookArn = (name: string) => `arn:aws:lambda:${sandbox.region}:${sandbox.accountId}:function:${name}`;

group('deploy-ecs on CODE_DEPLOY services', () => {
  test('an AllAtOnce deployment is created from an AppSpec of the service and followed to Succeeded, production on the new revision', async () => {
    const { cd, inputs } = await serviceFor({ service: 'cd-all-at-once', ...oneMinuteTermination });

    const run = await deploy(inputs);

    expect(errorsOf(run)).toEqual([]);
    const id = run.outputs['codedeploy-deployment-id'];
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(run.outputs).toMatchObject({
      status: 'succeeded',
      'deployment-id': id,
      'service-deployment-arn': '',
      'previous-task-definition-arn': cd.taskDefinitionArn,
    });
    expect(run.outputs['task-definition-arn']).toMatch(new RegExp(`:task-definition/${cd.family}:2$`));
    const info = await deploymentInfo(id);
    expect(info.status).toBe('Succeeded');
    expect(info.deploymentConfigName).toBe('CodeDeployDefault.ECSAllAtOnce');
    expect(await answerThrough(cd.productionUrl)).toBe('v2');
    // Each lifecycle event and each traffic weight, as it changed.
    expect(run.log).toMatch(/Lifecycle event AllowTraffic: Succeeded/);
    expect(run.log).toMatch(/Task sets: Blue ecs-svc\/\d+ 0% traffic, \d\/2 running, Green ecs-svc\/\d+ 100% traffic/);
  });

  test('a canary deployment logs the canary weight, then the rest, and succeeds', async () => {
    const { cd, inputs } = await serviceFor({ service: 'cd-canary', ...oneMinuteTermination });

    const run = await deploy({ ...inputs, 'codedeploy-deployment-config': 'CodeDeployDefault.ECSCanary10Percent5Minutes' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.log).toMatch(/Task sets: Blue ecs-svc\/\d+ 90% traffic, 2\/2 running, Green ecs-svc\/\d+ 10% traffic/);
    expect((await deploymentInfo(run.outputs['codedeploy-deployment-id'])).deploymentConfigName).toBe(
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
    );
    expect(await answerThrough(cd.productionUrl)).toBe('v2');
  });

  test('a hook that fails is a failure naming its lifecycle event and diagnostics; CodeDeploy rolls back', async () => {
    const { cd, inputs } = await serviceFor({ service: 'cd-hook-fails' });
    sandbox.registerCodeDeployHook(hookArn('cd-reject'), async (event) => {
      await codedeploy().send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: event.DeploymentId,
          lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
          status: 'Failed',
        }),
      );
    });
    const appspec = fileWith(
      'appspec.yaml',
      [
        'version: 0.0',
        'Resources:',
        '  - TargetService:',
        '      Type: AWS::ECS::Service',
        '      Properties:',
        '        TaskDefinition: replaced-by-deploy-ecs',
        '        LoadBalancerInfo:',
        `          ContainerName: ${cd.containerName}`,
        '          ContainerPort: 8080',
        'Hooks:',
        `  - AfterAllowTestTraffic: ${hookArn('cd-reject')}`,
      ].join('\n'),
    );

    const run = await deploy({ ...inputs, appspec });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /failed: CodeDeploy ended it Failed at lifecycle event AfterAllowTestTraffic \(HOOK_EXECUTION_FAILURE: [^)]*cd-reject reported Failed\.\), and CodeDeploy \(rollback deployment d-[A-Z0-9]{9}\) is rolling the service back to cd-hook-fails:1\./,
      ),
    ]);
    expect(await answerThrough(cd.productionUrl)).toBe('v1');
  });

  test('a replacement that crashes fails the deploy with the stopped reason and the last log line', async () => {
    const { cd, inputs } = await serviceFor({ service: 'cd-crash' });
    sandbox.script(`${BLUE_GREEN_REPOSITORY}:crashes`, { kind: 'exit', exitCode: 1, afterMs: 200, logs: ['Error: PORT is not set'] });
    const definition = {
      family: cd.family,
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: cd.containerName,
          image: `${BLUE_GREEN_REPOSITORY}:crashes`,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${cd.service}`,
              'awslogs-region': sandbox.region,
              'awslogs-stream-prefix': 'ecs',
              'awslogs-create-group': 'true',
            },
          },
        },
      ],
    };

    const started = Date.now();
    const run = await deploy({
      cluster: inputs.cluster,
      service: inputs.service,
      'task-definition': fileWith('td.json', JSON.stringify(definition)),
    });

    expect(run.exitCode).toBe(1);
    expect(['failed', 'rolled-back']).toContain(run.outputs.status);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /stopped; the latest because essential container "cd-crash" exited with code 1\. Its last log line: "Error: PORT is not set"\./,
      ),
    ]);
    expect(await answerThrough(cd.productionUrl)).toBe('v1');
  });

  test('wait-until paused returns at Ready with the deployment id; a later step given codedeploy-deployment-id follows it through ContinueDeployment to Succeeded', async () => {
    const { cd, inputs } = await pausedAtReady('cd-ready');

    const paused = await deploy({ ...inputs, 'wait-until': 'paused' });

    expect(errorsOf(paused)).toEqual([]);
    const id = paused.outputs['codedeploy-deployment-id'];
    expect(paused.outputs).toMatchObject({ status: 'paused', 'deployment-id': id, 'lifecycle-stage': 'AfterAllowTestTraffic' });
    expect((await deploymentInfo(id)).status).toBe('Ready');
    // Test traffic reaches the replacement; production stays on the original.
    expect(await answerThrough(cd.testUrl)).toBe('v2');
    expect(await answerThrough(cd.productionUrl)).toBe('v1');

    // The gate is continued once the later step follows the deployment: its original task set is still there then.
    let continued: Promise<unknown> | undefined;
    const followed = await deploy(
      { cluster: cd.cluster, service: cd.service, 'codedeploy-deployment-id': id },
      {
        onLine: (line) => {
          if (!continued && /Following CodeDeploy deployment/.test(line.text))
            continued = codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
        },
      },
    );
    await continued;

    expect(errorsOf(followed)).toEqual([]);
    expect(followed.outputs).toMatchObject({
      status: 'succeeded',
      'codedeploy-deployment-id': id,
      'task-definition-arn': paused.outputs['task-definition-arn'],
      'previous-task-definition-arn': cd.taskDefinitionArn,
    });
    expect(followed.log).not.toMatch(/Registered|CreateDeployment started/);
    expect((await deploymentInfo(id)).status).toBe('Succeeded');
  });

  test('given codedeploy-deployment-id of a deployment that has ended, previous-task-definition-arn is empty, never the revision it deployed', async () => {
    const { cd, inputs } = await pausedAtReady('cd-ended');
    const paused = await deploy({ ...inputs, 'wait-until': 'paused' });
    const id = paused.outputs['codedeploy-deployment-id'];
    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
    await until(
      async () => (await deploymentInfo(id)).status === 'Succeeded',
      'the deployment Succeeded, its original task set terminated',
    );

    const followed = await deploy({ cluster: cd.cluster, service: cd.service, 'codedeploy-deployment-id': id });

    expect(errorsOf(followed)).toEqual([]);
    expect(followed.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': paused.outputs['task-definition-arn'],
      'previous-task-definition-arn': '',
    });
    expect(followed.log).toMatch(
      /previous-task-definition-arn is left empty: the service no longer lists the original task set of CodeDeploy deployment d-\w+ \(Succeeded;/,
    );
  });

  test('wait-until bake returns green with status baking once production is rerouted, long before the termination wait ends', async () => {
    // A termination wait of 60 minutes is 144 s here: the step must not wait for it.
    const { cd, inputs } = await serviceFor({
      service: 'cd-bake',
      group: {
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
        },
      },
    });

    const run = await deploy({ ...inputs, 'wait-until': 'bake' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'baking', 'lifecycle-stage': 'AfterAllowTraffic' });
    expect(run.finishedAt - run.startedAt).toBeLessThan(30_000);
    expect((await deploymentInfo(run.outputs['codedeploy-deployment-id'])).status).toBe('InProgress');
    expect(await answerThrough(cd.productionUrl)).toBe('v2');
  });

  test('wait false creates the deployment and returns registered with its id, watching nothing', async () => {
    const { inputs } = await serviceFor({ service: 'cd-no-wait' });

    const run = await deploy({ ...inputs, wait: 'false' });

    expect(errorsOf(run)).toEqual([]);
    const id = run.outputs['codedeploy-deployment-id'];
    expect(run.outputs).toMatchObject({ status: 'registered', 'deployment-id': id });
    expect(['Created', 'InProgress']).toContain((await deploymentInfo(id)).status);
    expect(run.log).not.toMatch(/Lifecycle event/);
  });

  test('a deployment group that deploys another service is refused before anything is registered or created', async () => {
    const { cd: other } = await serviceFor({ service: 'cd-other' });
    const { inputs } = await serviceFor({ service: 'cd-mine', createGroup: false });
    // Earlier tests' deployments move on in the background (termination waits ending), so the comparison is of
    // what this step could have changed: revisions, deployments created, AppSpecs registered, the two services.
    const mine = () => {
      const state = sandbox.snapshot() as {
        taskDefinitions: unknown;
        tasks: { group: string; arn: string; taskDefinitionArn: string }[];
        codeDeployDeployments: { deploymentId: string }[];
        codeDeployRevisions: unknown;
      };
      return JSON.stringify({
        taskDefinitions: state.taskDefinitions,
        deployments: state.codeDeployDeployments.map((deployment) => deployment.deploymentId),
        revisions: state.codeDeployRevisions,
        tasks: state.tasks
          .filter((task) => task.group === 'service:cd-mine' || task.group === 'service:cd-other')
          .map((task) => [task.arn, task.taskDefinitionArn]),
      });
    };
    const before = mine();
    const callsBefore = sandbox.calls.length;

    const run = await deploy({
      ...inputs,
      'codedeploy-application': other.applicationName,
      'codedeploy-deployment-group': other.deploymentGroupName,
    });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /deployment group "DgpECS-cd-cd-other" of application "AppECS-cd-cd-other"\S* deploys cd\/cd-other, not service "cd-mine".*'codedeploy-deployment-group'/,
      ),
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(mine()).toBe(before);
  });

  test('an AppSpec file that does not parse: refused before any change, annotated on the line the parser stopped at', async () => {
    const { inputs } = await serviceFor({ service: 'cd-bad-yaml' });
    const text = ['version: 0.0', 'Resources:', '  - TargetService:', '      Type: "AWS::ECS::Service', '      Properties: {}'].join('\n');
    const appspec = fileWith('appspec.yaml', text);
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ ...inputs, appspec });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^Input 'appspec': the AppSpec file is neither JSON nor YAML \(/)]);
    // The line the yaml parser names: the unclosed quote's, or where the text ends while the quote stays open.
    const stopped = (() => {
      try {
        parseYaml(text);
      } catch (error) {
        return (error as { linePos: { line: number }[] }).linePos[0].line;
      }
      throw new Error('the AppSpec parsed');
    })();
    expect(stopped).toBeGreaterThanOrEqual(4);
    expect(errorAnnotation(run)).toBe(`file=${appspec.replace(/:/g, '%3A')},line=${stopped},title=AppSpec file does not parse`);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test('an AppSpec file with two TargetServices: refused before any change, annotated on its Resources line', async () => {
    const { inputs } = await serviceFor({ service: 'cd-two-targets' });
    const target = ['  - TargetService:', '      Type: AWS::ECS::Service', '      Properties:', '        TaskDefinition: x'];
    const appspec = fileWith(
      'appspec.yaml',
      ['# two services in one AppSpec', 'version: 0.0', 'Resources:', ...target, ...target].join('\n'),
    );
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ ...inputs, appspec });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(/^Input 'appspec': the AppSpec file must have Resources with exactly one TargetService/),
    ]);
    expect(errorAnnotation(run)).toBe(`file=${appspec.replace(/:/g, '%3A')},line=3,title=AppSpec file has one ECS TargetService`);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test('a re-run with nothing changed is settled on the steady PRIMARY task set, creating no deployment', async () => {
    const { cd, inputs } = await serviceFor({ service: 'cd-unchanged' }, 'v1');
    const callsBefore = sandbox.calls.length;

    const run = await deploy(inputs);

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': cd.taskDefinitionArn, 'codedeploy-deployment-id': '' });
    expect(run.log).toMatch(/settled on cd-unchanged:1 \(PRIMARY task set ecs-svc\/\d+, STEADY_STATE, 2\/2 running\): nothing to deploy/);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  // One service for the refusals: none of them changes it.
  let refusals: ReturnType<typeof serviceFor> | undefined;
  const refusalService = () => (refusals ??= serviceFor({ service: 'cd-refusals' }));

  test.each<[string, Record<string, string>, RegExp]>([
    [
      'service-deployment-arn, pointing to codedeploy-deployment-id',
      { 'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/cd/cd-refusals/sd-1', image: '' },
      /^Input 'service-deployment-arn' names an ECS service deployment, but service "cd-refusals" is deployed by CodeDeploy.*'codedeploy-deployment-id'/,
    ],
    [
      'wait-until paused on a group that does not stop at Ready',
      { 'wait-until': 'paused' },
      /^Input 'wait-until' is paused, but the deployment group "DgpECS-cd-cd-refusals" of application "AppECS-cd-cd-refusals" reroutes traffic without waiting \(deploymentReadyOption CONTINUE_DEPLOYMENT\)/,
    ],
    [
      'a codedeploy-deployment-id CodeDeploy does not know',
      { 'codedeploy-deployment-id': 'd-AAAAAAAAA', image: '' },
      /^Input 'codedeploy-deployment-id': CodeDeploy does not know deployment d-AAAAAAAAA/,
    ],
    [
      'a deployment group that does not exist, naming the default tried',
      { 'codedeploy-deployment-group': 'nope' },
      /^Input 'codedeploy-deployment-group': application "AppECS-cd-cd-refusals" has no deployment group "nope"\. Give/,
    ],
  ])('%s is refused before any change', async (_what, extra, message) => {
    await refusalService();
    const inputs: Record<string, string> = { cluster: 'cd', service: 'cd-refusals', image: `${BLUE_GREEN_REPOSITORY}:v2`, ...extra };
    for (const [name, value] of Object.entries(inputs)) if (value === '') delete inputs[name];
    const callsBefore = sandbox.calls.length;

    const run = await deploy(inputs);

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(message)]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });
});
