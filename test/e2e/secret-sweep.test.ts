import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub } from '../support/github-run';
import { runBundledAction } from '../support/run-action';
import { PLANTED } from '../support/secret-sweep';

// The sweep every e2e run goes through must fail on a leak, or the whole suite's silence proves nothing. Each test
// runs a tiny script in place of a bundle, doing one thing an action must never do with a planted secret.
const SECRET = PLANTED.environmentToken;

function script(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'secret-sweep-')), 'leak.mjs');
  writeFileSync(file, `import { appendFileSync } from 'node:fs';\nconst secret = ${JSON.stringify(SECRET)};\n${body}\n`);
  return file;
}

const run = (body: string, env: Record<string, string> = {}) => runBundledAction('secret-sweep-probe', {}, { entry: script(body), env });

describe('the secret sweep of every bundled run', () => {
  test('a planted secret in the job summary fails the run, naming the file and line without the secret', async () => {
    const failure = run('appendFileSync(process.env.GITHUB_STEP_SUMMARY, `## Deploy\\ntoken ${secret}\\n`);');
    await expect(failure).rejects.toThrow(/secret of \d+ characters in the \$GITHUB_STEP_SUMMARY file, line 2: token \*\*\*/);
    await expect(failure).rejects.not.toThrow(SECRET);
  });

  test('a secret in the job summary is a leak even after its add-mask line', async () => {
    const failure = run('console.log(`::add-mask::${secret}`); appendFileSync(process.env.GITHUB_STEP_SUMMARY, `token ${secret}\\n`);');
    await expect(failure).rejects.toThrow(/in the \$GITHUB_STEP_SUMMARY file, line 1/);
  });

  test('a secret in the output file is a leak even after its add-mask line', async () => {
    const failure = run('console.log(`::add-mask::${secret}`); appendFileSync(process.env.GITHUB_OUTPUT, `token=${secret}\\n`);');
    await expect(failure).rejects.toThrow(/in the \$GITHUB_OUTPUT file, line 1/);
  });

  test('a secret printed before its add-mask line is a leak in the log', async () => {
    const failure = run('console.log(`connecting with ${secret}`); console.log(`::add-mask::${secret}`);');
    await expect(failure).rejects.toThrow(/in the log, line 1: connecting with \*\*\*/);
  });

  test('a secret printed after its add-mask line passes: the runner shows *** there', async () => {
    const passed = await run('console.log(`::add-mask::${secret}`); console.log(`connecting with ${secret}`);');
    expect(passed.exitCode).toBe(0);
  });

  test('a secret never masked is a leak on stderr too', async () => {
    const failure = run('console.error(`failed with ${secret}`);');
    await expect(failure).rejects.toThrow(/in the log, line 1: failed with \*\*\*/);
  });

  describe('with the fake GitHub', () => {
    let github: FakeGitHub;
    beforeAll(async () => {
      github = await new FakeGitHub().start();
    });
    afterAll(async () => {
      await github.stop();
    });

    test('a secret in a Deployment payload is a leak even after its add-mask line', async () => {
      const body = [
        'console.log(`::add-mask::${secret}`);',
        "await fetch(`${process.env.GITHUB_API_URL}/repos/acme/shop/deployments`, { method: 'POST', body: JSON.stringify({ ref: 'main', environment: 'production', payload: { token: secret } }) });",
      ].join('\n');
      const failure = run(body, { GITHUB_API_URL: github.url });
      await expect(failure).rejects.toThrow(/in the body of POST \/repos\/acme\/shop\/deployments to GitHub/);
    });
  });
});
