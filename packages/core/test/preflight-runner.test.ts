import { describe, expect, test } from '@jest/globals';
import { ActionFailure, ConfigurationError } from '../src/common/errors';
import { silentLogger } from '../src/common/logger';
import type { CheckResult, PreflightCheck } from '../src/preflight/check';
import { deniedAction } from '../src/preflight/check-errors';
import { runPreflight } from '../src/preflight/run';

function check<T = undefined>(
  id: string,
  run: () => Promise<CheckResult<T>>,
  overrides: Partial<PreflightCheck<T>> = {},
): PreflightCheck<T> {
  return { id, title: `Title of ${id}`, protects: false, run, ...overrides };
}
const pass = (id: string, detail = `${id} is fine`) => check(id, async () => ({ status: 'pass', detail }));
const failing = (id: string, detail: string, overrides: Partial<PreflightCheck<undefined>> = {}) =>
  check(id, async () => ({ status: 'fail', detail, input: id }), overrides);
const throwing = (id: string, error: unknown, overrides: Partial<PreflightCheck<undefined>> = {}) =>
  check(id, async () => Promise.reject(error), overrides);

/** An error shaped as the SDK raises AWS's refusal (the sandbox's IAM allow-list answers the same words). */
function accessDenied(action?: string): Error {
  const error = new Error(
    action ? `User is not authorized to perform: ${action} because no identity-based policy allows the ${action} action` : 'Access denied',
  );
  error.name = 'AccessDeniedException';
  return error;
}

async function failureOf(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('runPreflight', () => {
  test('passing checks: one aligned table in the log, the markdown table returned, nothing thrown', async () => {
    const log = silentLogger();
    const report = await runPreflight([pass('first'), pass('second-check', 'all good')], { log });
    expect(log.lines).toEqual([
      ['Pre-flight checks (2):', '  pass  Title of first         first is fine', '  pass  Title of second-check  all good'].join('\n'),
    ]);
    expect(report.markdown).toBe(
      [
        '### Pre-flight checks',
        '',
        '|   | Check | Input | Result |',
        '| --- | --- | --- | --- |',
        '| ✅ pass | Title of first |   | first is fine |',
        '| ✅ pass | Title of second-check |   | all good |',
      ].join('\n'),
    );
  });

  test('a warning is reported in the table and as a warning, and the step goes on', async () => {
    const log = silentLogger();
    const warned = check('maybe', async () => ({ status: 'warn', detail: 'could be better', fix: 'Do better.' }));
    const report = await runPreflight([pass('first'), warned], { log });
    expect(report.rows.map((row) => row.status)).toEqual(['pass', 'warn']);
    expect(log.lines).toContain('warning: Title of maybe: could be better Do better.');
    expect(report.markdown).toContain('| ⚠️ warn | Title of maybe |   | could be better Do better. |');
  });

  test("one failing check: the error's message is exactly that check's message, with its input", async () => {
    const message =
      "Input 'alarms': no CloudWatch alarm named \"web-5xxx\" in us-east-1. Names are case-sensitive; list them with 'aws cloudwatch describe-alarms'.";
    const log = silentLogger();
    const error = await failureOf(runPreflight([pass('first'), failing('alarms', message)], { log }));
    expect(error.message).toBe(message);
    expect(error.input).toBe('alarms');
    expect(log.lines[0]).toContain(`  fail  Title of alarms  ${message}`);
  });

  test("a failing check's fix follows its detail in the message", async () => {
    const fixed = check('fixable', async () => ({ status: 'fail', detail: 'The thing is missing.', fix: 'Create it.' }));
    expect((await failureOf(runPreflight([fixed], { log: silentLogger() }))).message).toBe('The thing is missing. Create it.');
  });

  test('several failing checks: each is listed, in the order given', async () => {
    const error = await failureOf(
      runPreflight([failing('one', 'First problem.'), pass('fine'), failing('two', 'Second problem.')], { log: silentLogger() }),
    );
    expect(error.message).toBe('2 pre-flight checks failed:\n- First problem.\n- Second problem.');
    expect(error.input).toBeUndefined();
  });

  test("a guard's own refusal thrown by a check is its verdict, word for word", async () => {
    const guard = throwing('guard', new ConfigurationError('Input \'service\': there is no active service "ghost".', 'service'));
    const refused = throwing('refused', new ActionFailure('Another migration is still running.'));
    expect((await failureOf(runPreflight([guard], { log: silentLogger() }))).message).toBe(
      'Input \'service\': there is no active service "ghost".',
    );
    expect((await failureOf(runPreflight([guard], { log: silentLogger() }))).input).toBe('service');
    expect((await failureOf(runPreflight([refused], { log: silentLogger() }))).message).toBe('Another migration is still running.');
  });

  test('a check that throws an unexpected error fails, naming the check in the table and in a list of failures', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const log = silentLogger();
    const error = await failureOf(
      runPreflight([throwing('alarms-exist', throttled, { title: 'Alarms exist' }), failing('other', 'Other problem.')], { log }),
    );
    expect(error.message).toBe(
      '2 pre-flight checks failed:\n- Pre-flight check "Alarms exist" (alarms-exist) could not run: ThrottlingException: Rate exceeded\n- Other problem.',
    );
    expect(log.lines[0]).toContain(
      '  fail  Alarms exist    Pre-flight check "Alarms exist" (alarms-exist) could not run: ThrottlingException: Rate exceeded',
    );
  });

  test('a lone unexpected error ends the step with that error, as it did before it was a check', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const thrown = await runPreflight([throwing('alarms-exist', throttled), pass('fine')], { log: silentLogger() }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBe(throttled);
  });

  test('a look-up the role may not make is a warning naming the denied action', async () => {
    const log = silentLogger();
    const report = await runPreflight([throwing('alarms-exist', accessDenied('cloudwatch:DescribeAlarms'), { title: 'Alarms exist' })], {
      log,
    });
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        'Not checked: the role this job assumes may not call cloudwatch:DescribeAlarms (AccessDeniedException). Grant cloudwatch:DescribeAlarms to have it checked.',
    });
    expect(log.lines).toContain(`warning: Alarms exist: ${report.rows[0].message}`);
  });

  test("the denied action is read from AWS's own wording too (role, action, resource)", () => {
    const aws = new Error(
      'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:DescribeServices action',
    );
    expect(deniedAction(aws)).toBe('ecs:DescribeServices');
  });

  test("when AWS's refusal names no action, the warning names the check's permissions", async () => {
    const report = await runPreflight([throwing('lookup', accessDenied(), { permissions: ['ecs:ListTasks', 'ecs:DescribeTasks'] })], {
      log: silentLogger(),
    });
    expect(report.rows[0].message).toBe(
      'Not checked: the role this job assumes may not call ecs:ListTasks, ecs:DescribeTasks (AccessDeniedException). Grant ecs:ListTasks, ecs:DescribeTasks to have it checked.',
    );
  });

  test('a protecting check whose look-up is denied fails rather than letting the step go on unchecked', async () => {
    const log = silentLogger();
    const denied = accessDenied('ecs:ListTasks');
    const thrown = await runPreflight([throwing('no-concurrent-migration', denied, { protects: true, title: 'No concurrent migration' })], {
      log,
    }).catch((e: unknown) => e);
    // Alone, it ends the step with AWS's refusal, which the step reports as it always has.
    expect(thrown).toBe(denied);
    expect(log.lines[0]).toContain(
      'Pre-flight check "No concurrent migration" could not look up what it guards: the role this job assumes may not call ecs:ListTasks (AccessDeniedException). Nothing was changed. ' +
        'Grant ecs:ListTasks: this check protects against damage and is never skipped.',
    );
  });

  test("mode 'warn' weakens a failing check that does not protect to a warning", async () => {
    const log = silentLogger();
    const report = await runPreflight([failing('soft', 'Soft problem.')], { log, mode: 'warn' });
    expect(report.rows[0].status).toBe('warn');
    expect(log.lines).toContain('warning: Title of soft: Soft problem.');
  });

  test("mode 'warn' keeps a protecting check failing", async () => {
    const checks = [failing('soft', 'Soft problem.'), failing('guard', 'Damage prevented.', { protects: true })];
    expect((await failureOf(runPreflight(checks, { log: silentLogger(), mode: 'warn' }))).message).toBe('Damage prevented.');
  });

  test("mode 'off' runs only the protecting checks and shows the others as skipped", async () => {
    let softRan = false;
    const soft = check('soft', async () => {
      softRan = true;
      return { status: 'fail', detail: 'Soft problem.' };
    });
    const report = await runPreflight([soft, { ...pass('guard'), protects: true }], { log: silentLogger(), mode: 'off' });
    expect(softRan).toBe(false);
    expect(report.rows.map((row) => [row.id, row.status])).toEqual([
      ['soft', 'skip'],
      ['guard', 'pass'],
    ]);
    expect(
      (await failureOf(runPreflight([failing('guard', 'Damage prevented.', { protects: true })], { log: silentLogger(), mode: 'off' })))
        .message,
    ).toBe('Damage prevented.');
  });

  test("a needed check (the use case goes on with its value) runs under mode 'off' and keeps failing under 'warn'", async () => {
    const needed = { ...pass('needed'), needed: true };
    const report = await runPreflight([needed], { log: silentLogger(), mode: 'off' });
    expect(report.rows.map((row) => [row.id, row.status])).toEqual([['needed', 'pass']]);
    const broken = failing('needed', 'No value to go on with.', { needed: true });
    expect((await failureOf(runPreflight([broken], { log: silentLogger(), mode: 'warn' }))).message).toBe('No value to go on with.');
  });

  test('a needed check that may not make its look-up fails, naming the permission, since its value is missing', async () => {
    const log = silentLogger();
    const denied = accessDenied('ecs:DescribeServices');
    const thrown = await runPreflight([throwing('needed', denied, { needed: true })], { log, mode: 'warn' }).catch((e: unknown) => e);
    expect(thrown).toBe(denied);
    expect(log.lines[0]).toContain(
      'Pre-flight check "Title of needed" could not look up what the step goes on with: the role this job assumes may not call ecs:DescribeServices (AccessDeniedException). Nothing was changed. Grant ecs:DescribeServices.',
    );
  });

  test('checks run at once, and the report keeps the order they were given in', async () => {
    const events: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = check('slow', async () => {
      events.push('slow started');
      // Released by the fast check; the timer only bounds how long a sequential runner makes this test wait.
      await new Promise<void>((resolve) => {
        releaseSlow = resolve;
        setTimeout(resolve, 1000).unref();
      });
      events.push('slow finished');
      return { status: 'pass', detail: 'slow done' };
    });
    const fast = check('fast', async () => {
      events.push('fast started');
      releaseSlow();
      return { status: 'pass', detail: 'fast done' };
    });
    const report = await runPreflight([slow, fast], { log: silentLogger() });
    expect(events).toEqual(['slow started', 'fast started', 'slow finished']);
    expect(report.rows.map((row) => row.id)).toEqual(['slow', 'fast']);
  });

  test('no checks: nothing in the log, nothing for the summary', async () => {
    const log = silentLogger();
    const report = await runPreflight([], { log });
    expect(log.lines).toEqual([]);
    expect(report.markdown).toBe('');
  });

  test('the value a check looked up is handed to the use case', async () => {
    const found = check('service', async () => ({ status: 'pass', detail: 'found', value: { serviceName: 'web' } }));
    const report = await runPreflight([found, pass('other')], { log: silentLogger() });
    expect(report.valueOf(found)).toEqual({ serviceName: 'web' });
  });
});

describe('runPreflight with dependent checks', () => {
  test('a later stage is built from the values of the checks before it, and all of them make one table', async () => {
    const log = silentLogger();
    const revision = check('revision', async () => ({ status: 'pass', detail: 'web:8 is ACTIVE', value: 'web' }));
    const report = await runPreflight([revision], { log, then: [(valueOf) => [pass('subnets', `subnets for ${valueOf(revision)}`)]] });
    expect(report.rows.map((row) => row.id)).toEqual(['revision', 'subnets']);
    expect(log.lines).toEqual([
      ['Pre-flight checks (2):', '  pass  Title of revision  web:8 is ACTIVE', '  pass  Title of subnets   subnets for web'].join('\n'),
    ]);
  });

  test('a failing check stops the stages after it: they are not built, and the table has what ran', async () => {
    const log = silentLogger();
    let built = false;
    const error = await failureOf(
      runPreflight([failing('revision', 'No such revision.')], { log, then: [() => ((built = true), [pass('subnets')])] }),
    );
    expect(error.message).toBe('No such revision.');
    expect(built).toBe(false);
    expect(log.lines).toEqual([['Pre-flight checks (1):', '  fail  Title of revision  No such revision.'].join('\n')]);
  });

  test('a guard that refuses while building a stage ends the step with its own error, after the table of what ran', async () => {
    const log = silentLogger();
    const refusal = new ConfigurationError(
      'Input \'container\' names "api", but task definition family web has one container, "web".',
      'container',
    );
    const thrown = await runPreflight([pass('revision')], {
      log,
      then: [
        () => {
          throw refusal;
        },
      ],
    }).catch((e: unknown) => e);
    expect(thrown).toBe(refusal);
    expect(log.lines).toEqual([['Pre-flight checks (1):', '  pass  Title of revision  revision is fine'].join('\n')]);
  });
});

describe('runPreflight and the job summary', () => {
  test('when the checks stop the step, the table is written to the summary before the step fails', async () => {
    const summaries: string[] = [];
    await failureOf(
      runPreflight([pass('first'), failing('second', 'Second problem.')], {
        log: silentLogger(),
        writeSummary: async (markdown) => void summaries.push(markdown),
      }),
    );
    expect(summaries).toEqual([expect.stringContaining('| ❌ fail | Title of second | `second` | Second problem. |')]);
    expect(summaries[0]).toMatch(/^### Pre-flight checks/);
  });

  test('when the checks pass, nothing is written: the use case puts the table in its own summary', async () => {
    const summaries: string[] = [];
    const report = await runPreflight([pass('first')], {
      log: silentLogger(),
      writeSummary: async (markdown) => void summaries.push(markdown),
    });
    expect(summaries).toEqual([]);
    expect(report.markdown).toContain('| ✅ pass | Title of first |   | first is fine |');
  });
});
