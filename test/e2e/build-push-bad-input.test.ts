import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { useBuildWorld } from '../support/use-build-world';
import { errorsOf } from '../support/run-action';
import { expectRefused } from '../support/bad-input';
import { endToEnd } from './bad-input/case';
import { buildPushBadInputs } from './bad-input/build-push.cases';

const world = useBuildWorld();

const repositories = async () =>
  ((await world().ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((r) => r.repositoryName);

describe('build-push refuses bad input before building or changing anything in AWS', () => {
  const fresh = uniqueName('fresh');

  // The matrix's rows only a run can refuse, and a few the parser refuses, through the bundled action.
  test.each(endToEnd(buildPushBadInputs).map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = await repositories();
    const callsBefore = world().sandbox.calls.length;
    const run = await runBuildPush(world(), row.inputs, { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }), env: row.env });
    expectRefused(run, row, world().sandbox.calls.slice(callsBefore));
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
    expect(await repositories()).toEqual(before);
    expect(run.outputs).toEqual({});
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('a builder that is not installed on the runner', async () => {
    const callsBefore = world().sandbox.calls.length;
    // A PATH with no tools on it: the runner has no podman (nor anything else).
    const run = await runBuildPush(
      world(),
      { repository: fresh, 'create-repository': 'true', builder: 'podman' },
      { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }), env: { PATH: mkdtempSync(join(tmpdir(), 'empty-path-')) } },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual(["Input 'builder' is podman, but podman is not installed on this runner."]);
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  test('a repository that does not exist, without create-repository, is named and nothing is created', async () => {
    const missing = uniqueName('missing');
    const run = await runBuildPush(world(), { repository: missing }, { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }) });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'repository': ECR has no repository "${missing}" in this account and region. Create it, or set create-repository to true.`,
    ]);
    expect(await repositories()).not.toContain(missing);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('no commit SHA outside a workflow', async () => {
    const run = await runBuildPush(world(), { repository: fresh }, { sha: 'main', workspace: makeContext({ 'a.txt': 'x' }) });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^GITHUB_SHA must be the 40-character commit SHA the runner sets; got "main"/)]);
  });
});
