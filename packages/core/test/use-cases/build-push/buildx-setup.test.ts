import { describe, expect, test } from '@jest/globals';
import { CommandRunner, WorkflowCancelled, type CommandExecutor, type ExecOptions } from '../../../src/common';
import { buildxConfigDir, prepareBuildx } from '../../../src/use-cases/build-push/buildx-setup';
import { INFO_CONTAINERD, INFO_OVERLAY2, INSPECT_DEFAULT_DOCKER, INSPECT_DOCKER_CONTAINER } from './buildx-fixtures';

/** docker answering inspect and info from fixtures; `buildx create` exits with createExit. Every call is recorded. */
function docker(inspect: string, info: string, createExit = 0) {
  const calls: { args: string[]; options: ExecOptions }[] = [];
  const exec: CommandExecutor = async (_tool, args, options) => {
    calls.push({ args, options });
    if (args[0] === 'buildx' && args[1] === 'inspect') return { exitCode: 0, stdout: inspect, stderr: '' };
    if (args[0] === 'info') return { exitCode: 0, stdout: info, stderr: '' };
    if (args[0] === 'buildx' && args[1] === 'create')
      return createExit === 0
        ? { exitCode: 0, stdout: '', stderr: '' }
        : { exitCode: createExit, stdout: '', stderr: 'ERROR: failed to pull moby/buildkit:buildx-stable-1' };
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { exec, calls, commands: () => calls.map((c) => c.args.slice(0, 2).join(' ')) };
}

function logger() {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => void lines.push(m), warning: (m: string) => void lines.push(`warning: ${m}`) } as never };
}

const env = { HOME: '/home/runner' };
const loginEnv = { DOCKER_CONFIG: '/tmp/auth' };

describe('prepareBuildx', () => {
  test('on the hosted-runner default (docker driver, overlay2) it makes a docker-container builder, then removes it', async () => {
    const fake = docker(INSPECT_DEFAULT_DOCKER, INFO_OVERLAY2);
    const { lines, log } = logger();
    const setup = await prepareBuildx({ cache: true, push: true }, { runner: new CommandRunner(fake.exec), log, env, loginEnv });

    expect(setup.run).toEqual({ cache: 'registry', builder: expect.stringMatching(/^build-push-[0-9a-f]{8}$/) });
    const create = fake.calls.find((c) => c.args[1] === 'create')!;
    expect(create.args).toEqual(['buildx', 'create', '--name', setup.run.builder, '--driver', 'docker-container', '--bootstrap']);
    expect(create.args).not.toContain('--use');
    expect(lines.join('\n')).toMatch(
      /Buildx cache: registry, on builder build-push-\w+ \(driver docker-container, made for this build and removed after it\), because builder default \(driver docker\) cannot export/,
    );

    await setup.dispose();
    expect(fake.calls.at(-1)!.args).toEqual(['buildx', 'rm', setup.run.builder]);
  });

  test('when that builder cannot start it falls back to the inline cache on the current builder and warns why', async () => {
    const fake = docker(INSPECT_DEFAULT_DOCKER, INFO_OVERLAY2, 1);
    const { lines, log } = logger();
    const setup = await prepareBuildx({ cache: true, push: true }, { runner: new CommandRunner(fake.exec), log, env, loginEnv });

    expect(setup.run).toEqual({ cache: 'inline' });
    expect(lines.join('\n')).toMatch(
      /^warning: Buildx cache: inline, on the builder buildx picks, because .* could not start: [\s\S]*failed to pull/m,
    );
    // The half-made builder is removed at once; nothing is left for dispose.
    expect(fake.commands()).toEqual(['buildx inspect', 'info --format', 'buildx create', 'buildx rm']);
    await setup.dispose();
    expect(fake.commands()).toHaveLength(4);
  });

  test.each([
    ['a docker-container builder (setup-buildx-action)', INSPECT_DOCKER_CONTAINER, INFO_OVERLAY2],
    ['the docker driver with the containerd image store', INSPECT_DEFAULT_DOCKER, INFO_CONTAINERD],
  ])('%s is used as it is, with the registry cache, and nothing is created', async (_name, inspect, info) => {
    const fake = docker(inspect, info);
    const { lines, log } = logger();
    const setup = await prepareBuildx({ cache: true, push: true }, { runner: new CommandRunner(fake.exec), log, env, loginEnv });
    await setup.dispose();

    expect(setup.run).toEqual({ cache: 'registry' });
    expect(fake.commands()).toEqual(['buildx inspect', 'info --format']);
    expect(lines.join('\n')).toMatch(/^Buildx cache: registry, on \S+, because .*exports a registry cache\.$/m);
  });

  test("buildx still finds the runner's builders although the login moved DOCKER_CONFIG", async () => {
    const fake = docker(INSPECT_DOCKER_CONTAINER, INFO_OVERLAY2);
    const setup = await prepareBuildx(
      { cache: true, push: true },
      { runner: new CommandRunner(fake.exec), log: logger().log, env, loginEnv },
    );
    expect(setup.env).toEqual({ DOCKER_CONFIG: '/tmp/auth', BUILDX_CONFIG: buildxConfigDir(env) });
    expect(fake.calls[0].options.env).toEqual(setup.env);
  });

  test.each([
    [{ BUILDX_CONFIG: '/opt/bx' }, '/opt/bx'],
    [{ DOCKER_CONFIG: '/home/runner/.dk' }, '/home/runner/.dk/buildx'],
  ])('buildx config dir of %j is %s', (vars, expected) => {
    expect(buildxConfigDir(vars)).toBe(expected);
  });

  test('cache false asks nothing and adds no cache flags', async () => {
    const fake = docker(INSPECT_DEFAULT_DOCKER, INFO_OVERLAY2);
    const setup = await prepareBuildx(
      { cache: false, push: true },
      { runner: new CommandRunner(fake.exec), log: logger().log, env, loginEnv },
    );
    expect(setup.run).toEqual({ cache: 'none' });
    expect(fake.calls).toEqual([]);
  });
});

/**
 * docker whose `buildx create` records the builder only when the test lets it finish (as buildx does, then
 * bootstraps), and whose `buildx rm` answers as buildx does for a name it has no builder of.
 */
function slowCreate() {
  const builders = new Set<string>();
  const order: string[] = [];
  let finishCreate = () => {};
  const exec: CommandExecutor = async (_tool, args) => {
    order.push(args.slice(0, 2).join(' '));
    if (args[1] === 'inspect') return { exitCode: 0, stdout: INSPECT_DEFAULT_DOCKER, stderr: '' };
    if (args[0] === 'info') return { exitCode: 0, stdout: INFO_OVERLAY2, stderr: '' };
    if (args[1] === 'create') {
      await new Promise<void>((resolve) => (finishCreate = resolve));
      builders.add(args[3]);
      return { exitCode: 0, stdout: args[3], stderr: '' };
    }
    if (args[1] === 'rm') {
      if (!builders.delete(args[2])) return { exitCode: 1, stdout: '', stderr: `ERROR: no builder "${args[2]}" found` };
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { exec, builders, order, finishCreate: () => finishCreate() };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('prepareBuildx when the workflow is cancelled while buildx create runs', () => {
  test('the removal waits for create, then removes the builder it recorded; no build starts on it', async () => {
    const fake = slowCreate();
    const { lines, log } = logger();
    let remove: (() => Promise<void>) | undefined;
    const setup = prepareBuildx(
      { cache: true, push: true },
      { runner: new CommandRunner(fake.exec), log, env, loginEnv, onBuilder: (given) => (remove = given) },
    ).catch((error: unknown) => error);
    await until(() => fake.order.includes('buildx create'));

    const removal = remove!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.order).not.toContain('buildx rm');
    fake.finishCreate();
    await removal;

    expect(fake.order.slice(-2)).toEqual(['buildx create', 'buildx rm']);
    expect(fake.builders.size).toBe(0);
    expect(await setup).toBeInstanceOf(WorkflowCancelled);
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  test('a create that does not end within the wait does not hold the removal past it', async () => {
    const fake = slowCreate();
    let remove: (() => Promise<void>) | undefined;
    void prepareBuildx(
      { cache: true, push: true },
      { runner: new CommandRunner(fake.exec), log: logger().log, env, loginEnv, onBuilder: (given) => (remove = given), createWaitMs: 20 },
    ).catch(() => {});
    await until(() => fake.order.includes('buildx create'));

    await remove!();

    expect(fake.order.at(-1)).toBe('buildx rm');
    fake.finishCreate();
  });

  test('removing a builder buildx never recorded is not a warning', async () => {
    const fake = slowCreate();
    const { lines, log } = logger();
    let remove: (() => Promise<void>) | undefined;
    void prepareBuildx(
      { cache: true, push: true },
      { runner: new CommandRunner(fake.exec), log, env, loginEnv, onBuilder: (given) => (remove = given), createWaitMs: 1 },
    ).catch(() => {});
    await until(() => fake.order.includes('buildx create'));

    await remove!();

    expect(fake.order.at(-1)).toBe('buildx rm');
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    fake.finishCreate();
  });
});
