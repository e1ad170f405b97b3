import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { templateFiles } from '../support/workflow-files';

// GitHub suggests an organization's workflow template to a repository when "the user's repository has a file in its
// root directory that matches a defined regular expression" (GitHub docs, "Creating workflow templates for your
// organization", filePatterns). Each pattern meets root entry names only (`.aws`, `task-definition.json`), never a
// path: a pattern with a slash can never match, and one that matches every name would suggest the template everywhere.

interface TemplateProperties {
  filePatterns?: unknown;
}

const propertiesOf = (template: string): TemplateProperties =>
  JSON.parse(readFileSync(template.replace(/\.yml$/, '.properties.json'), 'utf8')) as TemplateProperties;

/** Root entries of a repository deploying to ECS: every template is suggested for each. */
const ECS_REPOSITORY_ENTRIES = ['.aws', 'task-definition.json', 'taskdef.json', 'ecs-task-definition.json', 'task-def-production.json'];
/** Root entries any repository may hold: none alone makes a repository one that deploys to ECS. */
const UNRELATED_ENTRIES = [
  'README.md',
  'package.json',
  'tsconfig.json',
  '.github',
  'src',
  'aws-exports.js',
  '.awsignore',
  'definitions.json',
];

/** What is wrong with a template's filePatterns, in words; empty when GitHub would suggest it where it should. */
function filePatternProblems(patterns: unknown, alsoFor: string[] = []): string[] {
  if (!Array.isArray(patterns) || patterns.length === 0) return ['filePatterns is missing or empty'];
  const problems: string[] = [];
  const regexes: RegExp[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') {
      problems.push(`${JSON.stringify(pattern)} is not a string`);
      continue;
    }
    if (pattern.includes('/')) problems.push(`"${pattern}" holds a slash: GitHub matches root entry names only, never a path`);
    try {
      regexes.push(new RegExp(pattern));
    } catch (error) {
      problems.push(`"${pattern}" is not a regular expression: ${(error as Error).message}`);
    }
  }
  const matches = (name: string) => regexes.some((regex) => regex.test(name));
  for (const name of [...ECS_REPOSITORY_ENTRIES, ...alsoFor])
    if (!matches(name)) problems.push(`no pattern matches the root entry ${name}`);
  for (const name of UNRELATED_ENTRIES) if (matches(name)) problems.push(`a pattern matches the unrelated root entry ${name}`);
  return problems;
}

/** Root entries a template is for beyond those of every ECS repository. */
const ALSO_FOR: Record<string, string[]> = {
  'ecs-deploy-codedeploy.yml': ['appspec.yaml', 'appspec.yml', 'appspec.json'],
};

describe('template metadata: GitHub suggests each template to repositories that deploy to ECS', () => {
  test.each(templateFiles())(
    '%s: filePatterns match an .aws folder and task-definition files at the root, and nothing unrelated',
    (template) => {
      const name = template.split('/').pop() as string;
      expect(filePatternProblems(propertiesOf(template).filePatterns, ALSO_FOR[name])).toEqual([]);
    },
  );
});

describe('the filePatterns check does fail', () => {
  test('patterns written as paths, an invalid one, and none for .aws', () => {
    expect(filePatternProblems(['.aws/task-definition.json', '^(task$', 'task-definition\\.json$', 'taskdef\\.json$'])).toEqual([
      '".aws/task-definition.json" holds a slash: GitHub matches root entry names only, never a path',
      expect.stringMatching(/^"\^\(task\$" is not a regular expression: /),
      'no pattern matches the root entry .aws',
      'no pattern matches the root entry task-def-production.json',
    ]);
  });

  test('an unanchored .aws pattern, or a catch-all, matches unrelated entries', () => {
    expect(filePatternProblems(['aws', '.*'])).toEqual(
      UNRELATED_ENTRIES.map((name) => `a pattern matches the unrelated root entry ${name}`),
    );
  });

  test('no filePatterns at all', () => {
    expect(filePatternProblems(undefined)).toEqual(['filePatterns is missing or empty']);
  });
});
