import { describe, expect, test } from '@jest/globals';
import { silentLogger } from '../src/common/logger';
import { fileFieldsCheck } from '../src/preflight/checks/file-fields';
import { runPreflight } from '../src/preflight/run';
import { judgeTaskDefinitionFields } from '../src/task-definition/fields';
import type { LoadedDefinition } from '../src/task-definition/load';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightFailure, preflightOf } from './support/preflight';
import { handWritten } from './support/task-definitions';

/** The file as loadTaskDefinitionFile hands it on: the known definition and the keys left out. */
function loaded(file: Record<string, unknown>): LoadedDefinition {
  const { known, problems } = judgeTaskDefinitionFields(file);
  return { definition: known as RegistrableDefinition, tags: [], fieldProblems: problems };
}

describe('fileFieldsCheck', () => {
  test('a file whose every key RegisterTaskDefinition takes passes', async () => {
    const report = await preflightOf(fileFieldsCheck({ path: 'td.json', loaded: loaded({ ...handWritten() }) }));
    expect(report.rows[0]).toMatchObject({
      id: 'file-fields',
      status: 'pass',
      message: 'every field of "td.json" is one RegisterTaskDefinition takes',
    });
  });

  test('unknown keys fail the step naming the input, each key and what to do, before any AWS call', async () => {
    const check = fileFieldsCheck({
      path: 'td.json',
      loaded: loaded({ ...handWritten(), Cpu: '256', desiredCount: 2 }),
      settingInputs: { desiredCount: 'desired-count' },
    });
    const error = await preflightFailure(check);
    expect(error.input).toBe('task-definition');
    expect(error.message).toBe(
      'Input \'task-definition\': the file "td.json" has 2 fields RegisterTaskDefinition does not take, which would be dropped without a word: ' +
        "Cpu: did you mean cpu?; desiredCount is a service setting: give it as this step's 'desired-count' input, not in the task definition. " +
        "Correct the file (with 'preflight: warn' the step goes on without them). Nothing was changed.",
    );
  });

  test("under mode 'warn' the same file is a warning and the step goes on; under 'off' it is not run", async () => {
    const check = fileFieldsCheck({ path: 'td.json', loaded: loaded({ ...handWritten(), Cpu: '256' }) });
    expect((await runPreflight([check], { log: silentLogger(), mode: 'warn' })).rows[0].status).toBe('warn');
    expect((await runPreflight([check], { log: silentLogger(), mode: 'off' })).rows[0].status).toBe('skip');
  });
});
