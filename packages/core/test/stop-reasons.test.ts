import { describe, expect, test } from '@jest/globals';
import { essentialFailure, explainStop } from '../src/ecs/stop-reasons';
import { container, ELB_REASON, INIT_ERROR, PULL_ERROR, stoppedTask, taskArn } from './support/tasks';

describe('explainStop', () => {
  test('essential container exited with code 1', () => {
    const text = explainStop(stoppedTask());
    expect(text).toBe('essential container "web" exited with code 1');
  });

  test('an exit code with a container reason includes the reason', () => {
    const task = stoppedTask({}, [container({ exitCode: 2, reason: 'Error: listen EADDRINUSE' })]);
    expect(explainStop(task)).toBe('essential container "web" exited with code 2 (Error: listen EADDRINUSE)');
  });

  test('exit code 137 with OutOfMemoryError: killed for using too much memory', () => {
    const task = stoppedTask({}, [container({ exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' })]);
    const text = explainStop(task);
    expect(text).toContain('"web"');
    expect(text).toContain('more memory than its limit');
    expect(text).toContain('exit code 137');
    expect(text).toContain('OutOfMemoryError: Container killed due to memory usage');
  });

  test('OutOfMemoryError without an exit code still says memory, assuming 137', () => {
    const task = stoppedTask({}, [container({ reason: 'OutOfMemoryError: Container killed due to memory usage' })]);
    expect(explainStop(task)).toContain('more memory than its limit (exit code 137');
  });

  test('CannotPullContainerError (task failed to start): the image and the pull permission', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: PULL_ERROR }, [container({ reason: PULL_ERROR })]);
    const text = explainStop(task);
    expect(text).toContain('the image could not be pulled');
    expect(text).toContain('web:1.4.3: not found');
    expect(text).toContain('task execution role');
  });

  test('CannotPullContainerError only on the container is recognised too', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, [container({ reason: PULL_ERROR })]);
    expect(explainStop(task)).toMatch(/^the image could not be pulled \(/);
  });

  test('ResourceInitializationError: secrets, logs or network', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: INIT_ERROR }, [container()]);
    const text = explainStop(task);
    expect(text).toContain('ECS could not prepare the task');
    expect(text).toContain('unable to pull secrets or registry auth');
    expect(text).toMatch(/secrets/);
    expect(text).toMatch(/execution role/);
  });

  test('failed ELB health checks name the target group', () => {
    const task = stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: ELB_REASON }, [container({ exitCode: 0 })]);
    const text = explainStop(task);
    expect(text).toContain('failed its health checks');
    expect(text).toContain('targetgroup/web-tg/73e2d6bc24d8a067');
  });

  test('failed container health checks', () => {
    const task = stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks' }, [
      container({ healthStatus: 'UNHEALTHY' }),
    ]);
    expect(explainStop(task)).toBe('it failed its health checks (Task failed container health checks)');
  });

  test('TaskFailedToStart for another reason', () => {
    const reason = 'Timeout waiting for network interface provisioning to complete.';
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: reason }, [container()]);
    expect(explainStop(task)).toBe(`it failed to start (${reason})`);
  });

  test('a multi-line reason is cut to its first line', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'first line\nsecond line' }, [container()]);
    expect(explainStop(task)).toBe('it failed to start (first line)');
  });

  test('a very long reason is cut to 300 characters', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: `ResourceInitializationError: ${'x'.repeat(1000)}` }, [
      container(),
    ]);
    const inner = /\((.*)\)/.exec(explainStop(task))?.[1] ?? '';
    expect(inner).toHaveLength(300);
  });

  test('any other reason is given as it is', () => {
    const task = stoppedTask({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }, [container()]);
    expect(explainStop(task)).toBe('Your Spot Task was interrupted.');
  });

  test('no reason at all names the task', () => {
    const task = stoppedTask({ stopCode: undefined, stoppedReason: undefined, taskArn: taskArn('feedfacefeedfacefeedfacefeedface') }, [
      container(),
    ]);
    expect(explainStop(task)).toBe('task feedfacefeedfacefeedfacefeedface stopped without a reason');
  });

  test('exit code 0 of an essential container falls back to the task reason', () => {
    const task = stoppedTask({}, [container({ exitCode: 0 })]);
    expect(explainStop(task)).toBe('Essential container in task exited');
  });
});

describe('essentialFailure', () => {
  test('the container with a non-zero exit code', () => {
    const task = stoppedTask({}, [container({ name: 'envoy', exitCode: 0 }), container({ name: 'web', exitCode: 1 })]);
    expect(essentialFailure(task)?.name).toBe('web');
  });

  test('a non-zero exit comes before a container that only has a reason', () => {
    const task = stoppedTask({}, [
      container({ name: 'log-router', reason: 'Essential container in task exited' }),
      container({ name: 'web', exitCode: 3 }),
    ]);
    expect(essentialFailure(task)?.name).toBe('web');
  });

  test('without exit codes, the container with a reason', () => {
    const task = stoppedTask({}, [container({ name: 'envoy' }), container({ name: 'web', reason: PULL_ERROR })]);
    expect(essentialFailure(task)?.name).toBe('web');
  });

  test.each([
    ['no containers', []],
    ['exit code 0 only', [container({ exitCode: 0 })]],
    ['no exit code and no reason', [container()]],
  ])('%s -> undefined', (_, containers) => {
    expect(essentialFailure(stoppedTask({}, containers))).toBeUndefined();
  });

  test('a task without a containers list', () => {
    expect(essentialFailure({ taskArn: taskArn('x') })).toBeUndefined();
  });
});

describe('explainStop blames the real cause', () => {
  test('a task killed after failing ELB health checks is a health-check failure, whatever its exit code', () => {
    for (const exitCode of [137, 143]) {
      const task = stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: ELB_REASON }, [container({ exitCode })]);
      const text = explainStop(task);
      expect(text).toMatch(/^it failed its health checks/);
      expect(text).not.toContain('memory');
    }
  });

  test('exit 137 without an OutOfMemoryError reason is a SIGKILL, not an out-of-memory kill', () => {
    const text = explainStop(stoppedTask({}, [container({ exitCode: 137 })]));
    expect(text).toBe('essential container "web" exited with code 137, killed by SIGKILL');
  });

  test('with the definitions known, the essential container is blamed rather than a sidecar killed on the way down', () => {
    const task = stoppedTask({}, [container({ name: 'envoy', exitCode: 137 }), container({ name: 'web', exitCode: 1 })]);
    const definitions = [
      { name: 'envoy', essential: false },
      { name: 'web', essential: true },
    ];
    expect(essentialFailure(task, definitions)?.name).toBe('web');
    expect(explainStop(task, definitions)).toBe('essential container "web" exited with code 1');
  });

  test('a pull error reported only on the container is quoted from the container', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, [
      container({ exitCode: undefined, reason: 'CannotPullContainerError: pull image manifest has been retried 1 time(s): not found' }),
    ]);
    expect(explainStop(task)).toContain('CannotPullContainerError: pull image manifest has been retried 1 time(s): not found');
  });
});

describe('explainStop for one-off tasks', () => {
  test('OutOfMemoryError on the task rather than the container is an out-of-memory kill', () => {
    const task = stoppedTask(
      { stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' },
      [container({ exitCode: 137 })],
    );
    expect(explainStop(task)).toMatch(
      /^container "web" was killed for using more memory than the task allows \(exit code 137, OutOfMemoryError/,
    );
  });

  test('ResourceInitializationError reported only on the container is recognised', () => {
    const task = stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, [
      container({ exitCode: undefined, reason: INIT_ERROR }),
    ]);
    expect(explainStop(task)).toMatch(/^ECS could not prepare the task \(ResourceInitializationError/);
  });

  test('a task stopped with StopTask says so, then how its container ended', () => {
    const task = stoppedTask({ stopCode: 'UserInitiated', stoppedReason: 'run-migration: the timeout was reached' }, [
      container({ exitCode: 143 }),
    ]);
    expect(explainStop(task)).toBe(
      'it was stopped by a StopTask call (run-migration: the timeout was reached); container "web" then exited with code 143, ended by SIGTERM',
    );
  });
});
