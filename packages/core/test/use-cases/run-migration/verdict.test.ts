import { describe, expect, test } from '@jest/globals';
import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import { describeOtherContainer, judgeMigration, withCulpritFirst } from '../../../src/use-cases/run-migration/verdict';

// A migration task with an essential log router and an agent that is not essential, as FireLens and
// observability sidecars are usually defined.
const definitions: ContainerDefinition[] = [
  { name: 'migrate' },
  { name: 'log-router', essential: true },
  { name: 'agent', essential: false },
];
const task = (exits: Record<string, number | undefined>, reasons: Record<string, string> = {}): Task => ({
  containers: Object.entries(exits).map(([name, exitCode]) => ({ name, exitCode, ...(reasons[name] ? { reason: reasons[name] } : {}) })),
});

describe('judgeMigration', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGKILL after the stop timeout', 137],
    ['a graceful 0', 0],
  ])('the migration exited 0 and the essential log router was stopped with %s: success', (_, code) => {
    const verdict = judgeMigration(task({ migrate: 0, 'log-router': code }), definitions, 'migrate');
    expect(verdict).toMatchObject({ succeeded: true, exitCode: 0, crashedEssential: undefined });
    expect(verdict.others).toEqual([{ name: 'log-router', essential: true, exitCode: code, crashed: false }]);
  });

  test("the migration exited 1 while the sidecars were stopped with 143: failed, with the migration's code", () => {
    expect(judgeMigration(task({ 'log-router': 143, migrate: 1 }), definitions, 'migrate')).toMatchObject({
      succeeded: false,
      exitCode: 1,
    });
  });

  test('a migration container that never exited is not a success', () => {
    expect(judgeMigration(task({ migrate: undefined, 'log-router': 143 }), definitions, 'migrate')).toMatchObject({
      succeeded: false,
      exitCode: undefined,
    });
  });

  test('an essential sidecar that crashed with a code of its own is not a success even when the migration exited 0', () => {
    // It may have stopped the task mid-migration, and a migration that exits 0 on SIGTERM would look done.
    const verdict = judgeMigration(task({ migrate: 0, 'log-router': 1 }), definitions, 'migrate');
    expect(verdict.succeeded).toBe(false);
    expect(verdict.crashedEssential).toEqual({ name: 'log-router', essential: true, exitCode: 1, crashed: true });
  });

  test('an essential sidecar killed for its memory is a crash, although its exit code is 137', () => {
    const verdict = judgeMigration(
      task({ migrate: 0, 'log-router': 137 }, { 'log-router': 'OutOfMemoryError: Container killed due to memory usage' }),
      definitions,
      'migrate',
    );
    expect(verdict.succeeded).toBe(false);
    expect(verdict.crashedEssential?.name).toBe('log-router');
  });

  test('a sidecar that is not essential never decides, whatever its exit', () => {
    const verdict = judgeMigration(task({ migrate: 0, agent: 2 }), definitions, 'migrate');
    expect(verdict.succeeded).toBe(true);
    expect(verdict.others).toEqual([{ name: 'agent', essential: false, exitCode: 2, crashed: true }]);
  });
});

describe('describeOtherContainer', () => {
  test.each<[Parameters<typeof describeOtherContainer>[0], string]>([
    [
      { name: 'log-router', essential: true, exitCode: 143, crashed: false },
      '"log-router" (essential) exited with code 143, ended by SIGTERM as the task stopped',
    ],
    [
      { name: 'log-router', essential: true, exitCode: 137, crashed: false },
      '"log-router" (essential) exited with code 137, killed by SIGKILL as the task stopped, after its stop timeout',
    ],
    [{ name: 'agent', essential: false, exitCode: 0, crashed: false }, '"agent" (not essential) exited with code 0'],
    [{ name: 'agent', essential: false, exitCode: 2, crashed: true }, '"agent" (not essential) exited with code 2'],
    [
      {
        name: 'log-router',
        essential: true,
        exitCode: 137,
        reason: 'OutOfMemoryError: Container killed due to memory usage',
        crashed: true,
      },
      '"log-router" (essential) exited with code 137 (OutOfMemoryError: Container killed due to memory usage)',
    ],
    [
      { name: 'init', essential: false, reason: 'CannotStartContainerError', crashed: false },
      '"init" (not essential) did not exit with a code (CannotStartContainerError)',
    ],
  ])('%o', (other, text) => {
    expect(describeOtherContainer(other)).toBe(text);
  });
});

describe('withCulpritFirst', () => {
  const names = (t: Task) => t.containers?.map((c) => c.name);

  test('the migration container comes first when it exited with a code of its own', () => {
    const t = task({ 'log-router': 143, migrate: 1 });
    expect(names(withCulpritFirst(t, 'migrate', judgeMigration(t, definitions, 'migrate')))).toEqual(['migrate', 'log-router']);
  });

  test('a crashed essential sidecar comes first when the migration was only stopped because of it', () => {
    const t = task({ migrate: 143, 'log-router': 1 });
    expect(names(withCulpritFirst(t, 'migrate', judgeMigration(t, definitions, 'migrate')))).toEqual(['log-router', 'migrate']);
  });
});
