import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'yaml';

// The SHA pins of the workflows, and of the starter workflows users copy, stay current only where Dependabot looks.
// For github-actions, Dependabot's file fetcher reads `.github/workflows/*.yml` (and a root action.yml) for the
// directory `/`, and the *.yml files of the directory itself for any other one (dependabot-core,
// github_actions/lib/dependabot/github_actions/file_fetcher.rb, `workflow_files`): a folder not listed is never updated.

interface UpdateEntry {
  'package-ecosystem': string;
  directory?: string;
  directories?: string[];
}

/** The directories the github-actions entries of a dependabot.yml list, as written (`/`, `/workflows-templates`). */
function githubActionsDirectories(config: string): string[] {
  const parsed = parse(config) as { updates?: UpdateEntry[] };
  return (parsed.updates ?? [])
    .filter((entry) => entry['package-ecosystem'] === 'github-actions')
    .flatMap((entry) => [...(entry.directories ?? []), ...(entry.directory ? [entry.directory] : [])]);
}

/** Where Dependabot reads workflow files for a listed directory: `/` means .github/workflows. */
function foldersRead(directory: string): string {
  const trimmed = directory.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '.github/workflows' : trimmed;
}

/** The folders (repository-relative) of the given YAML files that hold a workflow: `on` and `jobs` at the top. */
function workflowFolders(files: { path: string; text: string }[]): string[] {
  const holding = files.filter(({ text }) => {
    const parsed: unknown = parse(text);
    return typeof parsed === 'object' && parsed !== null && 'jobs' in parsed && 'on' in parsed;
  });
  return [...new Set(holding.map(({ path }) => dirname(path)))].sort();
}

/** The workflow folders no github-actions entry makes Dependabot read. */
function uncovered(folders: string[], config: string): string[] {
  const read = new Set(githubActionsDirectories(config).map(foldersRead));
  return folders.filter((folder) => !read.has(folder));
}

const trackedYaml = () =>
  execFileSync('git', ['ls-files', '*.yml', '*.yaml'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('Dependabot keeps every SHA pin current', () => {
  test('the repository has workflow YAML in the folders expected, so a scan that found none fails', () => {
    expect(workflowFolders(trackedYaml())).toEqual(['.github/workflows', 'test/fixtures/workflows', 'workflows-templates']);
  });

  test('every folder holding workflow YAML is read by a github-actions entry of .github/dependabot.yml', () => {
    expect(uncovered(workflowFolders(trackedYaml()), readFileSync('.github/dependabot.yml', 'utf8'))).toEqual([]);
  });
});

describe('the coverage check does fail', () => {
  const folders = ['.github/workflows', 'workflows-templates'];

  test('an entry with only `directory: /` leaves the starter workflows out', () => {
    const config = 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n';
    expect(uncovered(folders, config)).toEqual(['workflows-templates']);
  });

  test('the folder listed under another ecosystem does not count', () => {
    const config = `version: 2
updates:
  - package-ecosystem: npm
    directories: [/workflows-templates]
    schedule: {interval: weekly}
  - package-ecosystem: github-actions
    directories: [/]
    schedule: {interval: weekly}
`;
    expect(uncovered(folders, config)).toEqual(['workflows-templates']);
  });

  test('a YAML file that is not a workflow (no jobs) makes no folder', () => {
    expect(
      workflowFolders([
        { path: 'config/settings.yml', text: 'on: true\nname: x\n' },
        { path: 'deploy/release.yml', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n' },
      ]),
    ).toEqual(['deploy']);
  });
});
