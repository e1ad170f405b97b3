import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ECSTarget,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, ConfigurationError, silentLogger, type ClientFactory } from '../../../src/common';
import { parseExpectedStatus, type Probe } from '../../../src/health';
import { runHealthCheck, type DeploymentAction, type HealthRequest } from '../../../src/use-cases/verify-health';
import { fakeClock } from '../../support/fake-clock';

// continue-deployment with a CodeDeploy deployment id: the ready wait (deploymentReadyOption STOP_DEPLOYMENT)
// answered by the verdict, ContinueDeployment READY_WAIT or StopDeployment with rollback.

const codedeployMock = mockClient(CodeDeployClient);
const ID = 'd-A1B2C3D4E';
const URL = 'http://test-listener.web.test/';
const plan: HealthRequest['plan'] = {
  urls: [URL],
  expectedStatus: parseExpectedStatus('200-299'),
  warmupMs: 0,
  intervalMs: 2_000,
  timeoutMs: 60_000,
  successThreshold: 3,
  failureThreshold: 3,
  bakeMs: 0,
};
const clients: ClientFactory = (Client, region) => new Client({ region } as never);
const EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/** The lifecycle events with the first `done` Succeeded, the next `inProgress` InProgress, the rest Pending. */
function events(done: number, inProgress = 0): LifecycleEvent[] {
  return EVENTS.map((name, index) => ({
    lifecycleEventName: name,
    status: index < done ? 'Succeeded' : index < done + inProgress ? 'InProgress' : 'Pending',
    ...(index < done ? { endTime: new Date(Date.UTC(2026, 0, 1, 0, 0, index)) } : {}),
  }));
}

interface Read {
  info: Partial<DeploymentInfo>;
  target?: Partial<ECSTarget>;
}
const readyOption = { deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 60 } };
const inProgress = (done: number): Read => ({
  info: { status: 'InProgress', blueGreenDeploymentConfiguration: readyOption },
  target: { status: 'InProgress', lifecycleEvents: events(done, 1) },
});
const ready: Read = {
  info: { status: 'Ready', blueGreenDeploymentConfiguration: readyOption },
  target: { status: 'Ready', lifecycleEvents: events(5) },
};
const rerouting: Read = inProgress(6);
const stoppedByTimeout: Read = {
  info: {
    status: 'Stopped',
    errorInformation: { code: 'TIMEOUT', message: 'ready wait timed out' },
    blueGreenDeploymentConfiguration: readyOption,
  },
  target: { status: 'Failed', lifecycleEvents: events(5) },
};

/** The deployment each pair of GetDeployment and GetDeploymentTarget answers, in turn; past the end the last repeats. */
function reads(...answers: (Read | Error)[]) {
  let deploymentCalls = 0;
  let targetCalls = 0;
  const at = (call: number) => answers[Math.min(call, answers.length - 1)];
  codedeployMock.on(GetDeploymentCommand).callsFake(async () => {
    const answer = at(deploymentCalls++);
    if (answer instanceof Error) throw answer;
    return {
      deploymentInfo: { deploymentId: ID, applicationName: 'AppECS-prod-web', deploymentGroupName: 'DgpECS-prod-web', ...answer.info },
    };
  });
  codedeployMock.on(GetDeploymentTargetCommand).callsFake(async () => {
    const answer = at(targetCalls++);
    if (answer instanceof Error) throw answer;
    if (!answer.target)
      throw awsError('DeploymentTargetDoesNotExistException', 'The provided target ID does not belong to the deployment.');
    return {
      deploymentTarget: { deploymentTargetType: 'ECSTarget', ecsTarget: { deploymentId: ID, targetId: 'prod:web', ...answer.target } },
    };
  });
}

function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

const answering = (status: number) => {
  let probes = 0;
  const probe: Probe = async (url) => {
    probes += 1;
    return { url, status, body: 'ok', latencyMs: 10 };
  };
  return { probe, probes: () => probes };
};

async function run(probe: Probe, endTerminationWait = false, signal?: AbortSignal) {
  const log = silentLogger();
  const actions: DeploymentAction[] = [];
  const outcome = await runHealthCheck(
    {
      plan,
      headers: [],
      requestTimeoutMs: 5_000,
      continueCodeDeploy: { deploymentId: ID, cluster: 'prod', service: 'web', region: 'us-east-1', endTerminationWait },
    },
    { aws: clients, probe },
    {
      log,
      clock: fakeClock(),
      setSecret: () => {},
      writeSummary: async () => {},
      setOutputs: () => {},
      setDeploymentAction: (action) => void actions.push(action),
      signal,
    },
  ).then(
    (report) => ({ report, error: undefined }),
    (error: unknown) => ({ report: undefined, error: error as Error }),
  );
  return {
    ...outcome,
    log,
    actions,
    continues: codedeployMock.commandCalls(ContinueDeploymentCommand).map((c) => c.args[0].input),
    stops: codedeployMock.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input),
  };
}

beforeEach(() => {
  codedeployMock.reset();
});

describe('continue-deployment answers a CodeDeploy deployment at Ready by the verdict', () => {
  test('waits for Ready before the first probe, then continues a healthy release with READY_WAIT', async () => {
    reads(inProgress(2), inProgress(4), ready);
    codedeployMock.on(ContinueDeploymentCommand).resolves({});
    const http = answering(200);
    let readsBeforeProbe: number | undefined;
    const probe: Probe = async (url) => {
      readsBeforeProbe ??= codedeployMock.commandCalls(GetDeploymentCommand).length;
      return http.probe(url);
    };

    const result = await run(probe);

    expect(result.error).toBeUndefined();
    expect(readsBeforeProbe).toBe(3);
    expect(result.continues).toEqual([{ deploymentId: ID, deploymentWaitType: 'READY_WAIT' }]);
    expect(result.stops).toEqual([]);
    expect(result.actions).toEqual(['continued']);
  });

  test('an unhealthy release is stopped with autoRollbackEnabled, and the step fails saying so', async () => {
    reads(ready);
    codedeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });

    const result = await run(answering(500).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.error?.message).toMatch(/CodeDeploy deployment d-A1B2C3D4E was stopped with rollback/);
    expect(result.stops).toEqual([{ deploymentId: ID, autoRollbackEnabled: true }]);
    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['rolled-back']);
  });

  test('it never ends the termination wait: no ContinueDeployment TERMINATION_WAIT is sent', async () => {
    reads(ready, ready, rerouting);
    codedeployMock.on(ContinueDeploymentCommand).resolves({});

    const result = await run(answering(200).probe);

    expect(result.continues.map((input) => input.deploymentWaitType)).toEqual(['READY_WAIT']);
  });

  test('a deployment already past Ready is not answered: none, with a warning, and the check still runs', async () => {
    reads(rerouting);
    const http = answering(200);

    const result = await run(http.probe);

    expect(result.error).toBeUndefined();
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines.join('\n')).toMatch(
      /warning: continue-deployment: CodeDeploy deployment d-A1B2C3D4E does not wait at Ready: it is past its ready wait, rerouting production traffic \(AllowTraffic InProgress\)/,
    );
    expect(http.probes()).toBeGreaterThan(0);
    expect(result.continues).toEqual([]);
  });

  test('a group that does not wait (CONTINUE_DEPLOYMENT) is not answered', async () => {
    reads({
      ...inProgress(2),
      info: {
        status: 'InProgress',
        blueGreenDeploymentConfiguration: { deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' } },
      },
    });

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['none']);
    expect(result.log.lines.join('\n')).toMatch(/does not wait for ContinueDeployment \(deploymentReadyOption CONTINUE_DEPLOYMENT\)/);
  });

  test('stopped by its own ready-wait timeout while probing: not answered, the warning says what CodeDeploy did', async () => {
    reads(ready, stoppedByTimeout);

    const result = await run(answering(200).probe);

    expect(result.error).toBeUndefined();
    expect(result.actions).toEqual(['none']);
    expect(result.continues).toEqual([]);
    expect(result.log.lines.join('\n')).toMatch(
      /found healthy, but CodeDeploy deployment d-A1B2C3D4E was not answered \(ContinueDeployment READY_WAIT\): the deployment is over: it has ended Stopped \(TIMEOUT: ready wait timed out\)/,
    );
  });

  test('Failed while waiting for Ready: none at once, with the error CodeDeploy gives', async () => {
    reads(inProgress(1), {
      info: {
        status: 'Failed',
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'AfterInstall failed' },
        rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01' },
      },
      target: { status: 'Failed', lifecycleEvents: events(2) },
    });

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['none']);
    expect(result.log.lines.join('\n')).toMatch(
      /it has ended Failed \(HOOK_EXECUTION_FAILURE: AfterInstall failed\); CodeDeploy rolls it back in deployment d-ROLLBACK01/,
    );
  });

  test('an id CodeDeploy does not know fails naming the input, before any probe', async () => {
    reads(awsError('DeploymentDoesNotExistException', `The deployment ${ID} could not be found.`));
    const http = answering(200);

    const result = await run(http.probe);

    expect(result.error).toBeInstanceOf(ConfigurationError);
    expect((result.error as ConfigurationError).input).toBe('continue-deployment');
    expect(result.error?.message).toMatch(/names CodeDeploy deployment d-A1B2C3D4E, which CodeDeploy does not know in us-east-1/);
    expect(http.probes()).toBe(0);
  });

  test("a deployment of another service (no target prod:web) is refused: the verdict must not answer another's deployment", async () => {
    reads({ info: { status: 'InProgress' } });

    const result = await run(answering(200).probe);

    expect(result.error).toBeInstanceOf(ConfigurationError);
    expect(result.error?.message).toMatch(/which has no target prod:web: it deploys another service/);
  });

  test('reading the deployment refused: the step fails naming the permissions', async () => {
    reads(awsError('AccessDeniedException', 'not authorized'));

    const result = await run(answering(200).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.error?.message).toMatch(/grant the role codedeploy:GetDeployment and codedeploy:GetDeploymentTarget/);
  });
});

test('cancelled while probing: nothing is sent, and the step says the deployment stays Ready', async () => {
  reads(ready);
  const controller = new AbortController();
  const probe: Probe = async (url) => {
    controller.abort();
    return { url, status: 200, body: 'ok', latencyMs: 10 };
  };

  const result = await run(probe, false, controller.signal);

  expect(result.error).toBeInstanceOf(ActionFailure);
  expect(result.error?.message).toMatch(/No answer was sent to the deployment\. CodeDeploy deployment d-A1B2C3D4E stays Ready/);
  expect(result.continues).toEqual([]);
  expect(result.stops).toEqual([]);
  expect(result.actions).toEqual(['none']);
});

describe('the answer under a hostile CodeDeploy', () => {
  test('ContinueDeployment refused for want of the permission: the step fails naming it, the deployment still Ready', async () => {
    reads(ready);
    codedeployMock.on(ContinueDeploymentCommand).rejects(awsError('AccessDeniedException', 'not authorized'));

    const result = await run(answering(200).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.error?.message).toMatch(
      /grant the role codedeploy:ContinueDeployment so verify-health can answer the deployment\. CodeDeploy deployment d-A1B2C3D4E stays Ready/,
    );
    expect(result.actions).toEqual(['none']);
  });

  test('StopDeployment refused for want of the permission: the step fails naming it', async () => {
    reads(ready);
    codedeployMock.on(StopDeploymentCommand).rejects(awsError('AccessDeniedException', 'not authorized'));

    const result = await run(answering(500).probe);

    expect(result.error?.message).toMatch(/grant the role codedeploy:StopDeployment/);
    expect(result.actions).toEqual(['none']);
  });

  test('throttled once: the deployment is read again before the second attempt, which continues it', async () => {
    reads(ready);
    codedeployMock.on(ContinueDeploymentCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({});

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['continued']);
    expect(result.continues).toHaveLength(2);
    const order = codedeployMock.calls().map((call) => call.args[0].constructor.name);
    const [first, second] = order.flatMap((name, index) => (name === 'ContinueDeploymentCommand' ? [index] : []));
    expect(order.slice(first, second)).toContain('GetDeploymentCommand');
  });

  test('an answer lost after CodeDeploy took it (a 5xx) is not sent again: the re-read shows it went through', async () => {
    let continued = false;
    codedeployMock.on(GetDeploymentCommand).callsFake(async () => ({
      deploymentInfo: { deploymentId: ID, status: continued ? 'InProgress' : 'Ready', blueGreenDeploymentConfiguration: readyOption },
    }));
    codedeployMock.on(GetDeploymentTargetCommand).callsFake(async () => ({
      deploymentTarget: {
        ecsTarget: {
          targetId: 'prod:web',
          status: continued ? 'InProgress' : 'Ready',
          lifecycleEvents: continued ? events(5, 1) : events(5),
        },
      },
    }));
    codedeployMock.on(ContinueDeploymentCommand).callsFake(async () => {
      continued = true;
      throw awsError('InternalFailure', 'connection reset', 503);
    });

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['continued']);
    expect(result.continues).toHaveLength(1);
  });

  test('continued by someone else while probing: not answered again, the warning says so', async () => {
    reads(ready, rerouting);

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['none']);
    expect(result.continues).toEqual([]);
    expect(result.log.lines.join('\n')).toMatch(/went on past Ready without this step's answer \(someone else called ContinueDeployment\)/);
  });

  test('an unhealthy release continued by someone else meanwhile is still stopped: its release goes to production', async () => {
    reads(ready, rerouting);
    codedeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });

    const result = await run(answering(500).probe);

    expect(result.stops).toEqual([{ deploymentId: ID, autoRollbackEnabled: true }]);
    expect(result.actions).toEqual(['rolled-back']);
  });
});

describe('with end-termination-wait, the verdict in production answers the termination wait', () => {
  const keptOriginal: Read = {
    info: { status: 'InProgress', blueGreenDeploymentConfiguration: readyOption },
    target: { status: 'Succeeded', lifecycleEvents: events(8) },
  };

  test('waits through Ready and the reroute, then ends the wait of a healthy release (TERMINATION_WAIT)', async () => {
    reads(ready, rerouting, keptOriginal);
    codedeployMock.on(ContinueDeploymentCommand).resolves({});
    let readsBeforeProbe: number | undefined;
    const http = answering(200);
    const probe: Probe = async (url) => {
      readsBeforeProbe ??= codedeployMock.commandCalls(GetDeploymentCommand).length;
      return http.probe(url);
    };

    const result = await run(probe, true);

    expect(readsBeforeProbe).toBe(3);
    expect(result.continues).toEqual([{ deploymentId: ID, deploymentWaitType: 'TERMINATION_WAIT' }]);
    expect(result.actions).toEqual(['continued']);
  });

  test('an unhealthy release in production is stopped with rollback onto the original it kept', async () => {
    reads(keptOriginal);
    codedeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });

    const result = await run(answering(500).probe, true);

    expect(result.stops).toEqual([{ deploymentId: ID, autoRollbackEnabled: true }]);
    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['rolled-back']);
  });

  test('a deployment that has already Succeeded has no wait left: none, nothing sent', async () => {
    reads({ info: { status: 'Succeeded' }, target: { status: 'Succeeded', lifecycleEvents: events(8) } });

    const result = await run(answering(200).probe, true);

    expect(result.actions).toEqual(['none']);
    expect(result.continues).toEqual([]);
    expect(result.log.lines.join('\n')).toMatch(/has no termination wait left to end: it has finished \(Succeeded\)/);
  });

  test('the wait ended on its own while probing: not answered, the verdict stands', async () => {
    reads(keptOriginal, { info: { status: 'Succeeded' }, target: { status: 'Succeeded', lifecycleEvents: events(8) } });

    const result = await run(answering(200).probe, true);

    expect(result.actions).toEqual(['none']);
    expect(result.continues).toEqual([]);
  });
});
