import { describe, expect, test } from '@jest/globals';
import { CommandRunner, type CommandExecutor } from '../src/common/command-runner';
import { ActionFailure } from '../src/common/errors';

const answering =
  (exitCode: number, stdout = '', stderr = ''): CommandExecutor =>
  async () => ({ exitCode, stdout, stderr });

describe('CommandRunner', () => {
  test('run answers the output of a tool that exits 0', async () => {
    await expect(new CommandRunner(answering(0, 'built', 'warning: x')).run('docker', ['build', '.'])).resolves.toBe('built\nwarning: x');
  });

  test('run fails on a non-zero exit, naming the tool, its first two arguments, the code and the last ten lines', async () => {
    const output = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const failure = new CommandRunner(answering(2, output)).run('docker', ['buildx', 'build', '--push', '.']);
    await expect(failure).rejects.toThrow(ActionFailure);
    await expect(failure).rejects.toThrow(
      `docker buildx build failed with exit code 2:\n${Array.from({ length: 10 }, (_, i) => `line ${i + 3}`).join('\n')}`,
    );
  });

  test('works is true on exit 0, false on another code, and false when the tool cannot start', async () => {
    expect(await new CommandRunner(answering(0)).works('docker', ['--version'])).toBe(true);
    expect(await new CommandRunner(answering(1)).works('docker', ['buildx', 'version'])).toBe(false);
    const missing: CommandExecutor = async (tool) => Promise.reject(new Error(`Unable to locate executable file: ${tool}`));
    expect(await new CommandRunner(missing).works('podman', ['--version'])).toBe(false);
  });

  test('works probes silently', async () => {
    const seen: boolean[] = [];
    await new CommandRunner(async (_tool, _args, options) => {
      seen.push(options.silent === true);
      return { exitCode: 0, stdout: '', stderr: '' };
    }).works('buildah', ['--version']);
    expect(seen).toEqual([true]);
  });
});
