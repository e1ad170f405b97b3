import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { condition, evaluateToString } from '../support/workflow-expressions';
import { Expression, loadWorkflow, type Value, type Workflow, type WorkflowJob, type WorkflowStep } from '../support/workflow-model';

// .github/workflows/release.yml, read with GitHub's own parser: which tags start it, what each job may do, that the
// bundles it attests are every file the runner executes, and that only the newest release of a major moves the major
// tag users pin (`@v1`), never a pre-release. The tag step's script is run for real and its outputs fed to the
// conditions, evaluated with GitHub's expression engine.

const FILE = join('.github', 'workflows', 'release.yml');
let workflow: Workflow;
beforeAll(async () => {
  workflow = await loadWorkflow(FILE);
});

const job = (id: string): WorkflowJob => {
  const found = workflow.jobs.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`release.yml has no job ${id}`);
  return found;
};
const stepNamed = (owner: WorkflowJob, name: string): WorkflowStep => {
  const found = owner.steps.find((step) => step.name === name);
  if (!found) throw new Error(`job ${owner.id} has no step "${name}"`);
  return found;
};
const runText = (step: WorkflowStep) => (step.run instanceof Expression ? step.run.expr : String(step.run ?? ''));

/** GitHub's filter pattern syntax as a regular expression: `*` any run of characters but `/`, `+` one or more, `[0-9]`. */
function filterPattern(pattern: string): RegExp {
  const source = pattern.replace(/\[[^\]]*\]|\*\*|\*|\+|\?|[^[*+?]+/g, (part) => {
    if (part === '**') return '.*';
    if (part === '*') return '[^/]*';
    if (part === '+' || part === '?' || part.startsWith('[')) return part;
    return part.replace(/[.^$(){}|\\]/g, '\\$&');
  });
  return new RegExp(`^${source}$`);
}
const startsOn = (tag: string) => ((workflow.on.push as { tags: string[] }).tags ?? []).some((pattern) => filterPattern(pattern).test(tag));

/** The tag step as the check job runs it: release-tag.mjs with the tag and the repository's tags, its outputs parsed. */
function checkOutputs(tag: string, existing: string[]): Record<string, string> {
  const printed = execFileSync(process.execPath, [join('.github', 'scripts', 'release-tag.mjs'), tag, ...existing], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Object.fromEntries(
    printed
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
}

/** The publish job's steps that run, and what they are given, once check's outputs are those of `tag`. */
function publishOf(tag: string, existing: string[] = []) {
  const outputs = checkOutputs(tag, existing);
  const contexts = { github: { ref_name: tag }, env: { TAG: tag }, needs: { check: { outputs, result: 'success' } }, inputs: {}, vars: {} };
  const publish = job('publish');
  return {
    steps: publish.steps.filter((step) => condition(step.if, contexts, { failed: false })).map((step) => step.name ?? step.uses),
    prerelease: evaluateToString(stepNamed(publish, 'Publish the GitHub release').env.PRERELEASE, contexts),
  };
}

describe('release.yml', () => {
  test('starts on a vX.Y.Z tag and on a pre-release vX.Y.Z-<suffix> tag, not on the major tag it moves, and on dispatch', () => {
    expect(['v1.0.0', 'v1.2.3', 'v10.20.30', 'v1.0.0-rc.1', 'v2.0.0-beta.2'].filter((tag) => !startsOn(tag))).toEqual([]);
    expect(['v1', 'v1.2', 'latest', '1.2.3', 'v1.2.x'].filter(startsOn)).toEqual([]);
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> };
    expect(dispatch.inputs.tag.required).toBe(true);
  });

  test('a pre-release is published as one and does not move the major tag', () => {
    expect(publishOf('v1.0.0-rc.1')).toEqual({
      steps: [expect.stringContaining('checkout'), 'Publish the GitHub release'],
      prerelease: 'true',
    });
    expect(publishOf('v1.3.0-rc.2', ['v1.0.0', 'v1.2.0'])).toEqual({
      steps: [expect.stringContaining('checkout'), 'Publish the GitHub release'],
      prerelease: 'true',
    });
  });

  test('the newest release of a major moves it; a patch of an older minor does not take it back', () => {
    expect(publishOf('v1.0.0')).toEqual({
      steps: [expect.stringContaining('checkout'), 'Publish the GitHub release', 'Move the major tag'],
      prerelease: 'false',
    });
    expect(publishOf('v1.2.4', ['v1.2.3', 'v1.3.0', 'v2.0.0']).steps).not.toContain('Move the major tag');
    expect(publishOf('v1.3.1', ['v1.3.0', 'v1.4.0-rc.1', 'v2.0.0']).steps).toContain('Move the major tag');
  });

  test('the release is created as a pre-release exactly when check says so, and only the major-tag step pushes a tag', () => {
    const publish = job('publish');
    const release = runText(stepNamed(publish, 'Publish the GitHub release'));
    expect(release).toMatch(/gh release create "\$TAG" --verify-tag [^\n]*--prerelease="\$PRERELEASE"/);
    expect(release).toMatch(/gh release edit "\$TAG" [^\n]*--prerelease="\$PRERELEASE"/);
    const pushing = workflow.jobs
      .flatMap((owner) => owner.steps.filter((step) => /\bgit push\b/.test(runText(step))))
      .map((step) => step.name);
    expect(pushing).toEqual(['Move the major tag']);
    expect(runText(stepNamed(publish, 'Move the major tag'))).toContain('git push --force origin "refs/tags/${MAJOR}"');
  });

  test('attests every file the runner executes in actions/*/dist, after the check proved them fresh, before publishing', () => {
    const attest = job('attest').steps.find((step) => /^actions\/attest-build-provenance@/.test(step.uses ?? ''));
    const patterns = String(attest?.with['subject-path'] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const actions = readdirSync('actions').filter((name) => readdirSync(join('actions', name)).includes('action.yml'));
    expect(actions.length).toBeGreaterThanOrEqual(5);
    const executed = actions.flatMap((name) =>
      readdirSync(join('actions', name, 'dist'))
        .filter((file) => file.endsWith('.js'))
        .map((file) => `actions/${name}/dist/${file}`),
    );
    expect(executed).toEqual(expect.arrayContaining(actions.map((name) => `actions/${name}/dist/index.js`)));
    expect(executed.filter((file) => !patterns.some((pattern) => matchesGlob(file, pattern)))).toEqual([]);
    expect(job('attest').needs).toEqual(['check']);
    expect(job('publish').needs.sort()).toEqual(['attest', 'check']);
  });

  test('the check job proves dist/ fresh and runs the tests (.ci/run) on the tag, and its notes exist, before anything is published', () => {
    const check = job('check');
    expect(check.steps.map(runText)).toContain('bash .ci/run');
    const ci = readFileSync(join('.ci', 'run'), 'utf8');
    expect(ci).toMatch(/check "dist is fresh" dist_is_fresh/);
    expect(ci).toMatch(/npm run build[\s\S]*git diff --exit-code[^\n]*'actions\/\*\/dist'/);
    expect(runText(stepNamed(check, 'Release notes are in CHANGELOG.md'))).toContain('release-notes.mjs "$TAG"');
    for (const owner of workflow.jobs) {
      const checkout = owner.steps.find((step) => /^actions\/checkout@/.test(step.uses ?? ''));
      expect({ job: owner.id, ref: checkout?.with.ref }).toEqual({ job: owner.id, ref: expect.any(Expression) });
      expect((checkout?.with.ref as Expression).expr).toMatch(/^format\('refs\/tags\/\{0\}', env\.TAG\)$/);
    }
  });

  test('each job has only the permissions it uses, and none by default', () => {
    expect(workflow.permissions).toEqual({});
    const permissions = Object.fromEntries(workflow.jobs.map((owner) => [owner.id, owner.permissions as Value]));
    expect(permissions).toEqual({
      check: { contents: 'read' },
      attest: { contents: 'read', 'id-token': 'write', attestations: 'write' },
      publish: { contents: 'write' },
    });
  });

  test('every action is pinned by full commit SHA with its version in a comment', () => {
    const lines = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((line) => /^\s*(?:-\s+)?uses:/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((line) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line.trim().replace(/^- /, '')))).toEqual(
      [],
    );
  });
});

describe('the release-workflow checks do fail', () => {
  test('a filter pattern that only takes plain versions does not start on a pre-release', () => {
    expect(filterPattern('v[0-9]+.[0-9]+.[0-9]+').test('v1.0.0-rc.1')).toBe(false);
    expect(filterPattern('v[0-9]+.[0-9]+.[0-9]+').test('v1.0.0')).toBe(true);
    expect(filterPattern('v*').test('v1/x')).toBe(false);
  });

  test('a pre-release tag leaves moves-major false, a release newest of its major true', () => {
    expect(checkOutputs('v2.0.0-rc.1', ['v1.9.0'])['moves-major']).toBe('false');
    expect(checkOutputs('v2.0.0', ['v1.9.0', 'v2.0.0-rc.1'])['moves-major']).toBe('true');
  });
});
