import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// A workflow example in README.md is what an adopter copies first: an input the action does not have is ignored by
// the runner with a mere warning, and a required one left out fails the job. Every ```yaml block is parsed and each
// step that uses one of this suite's actions is checked against that action's action.yml.

interface ActionInputs {
  all: Set<string>;
  required: string[];
  outputs: Set<string>;
}

const actions = new Map<string, ActionInputs>(
  readdirSync('actions')
    .filter((name) => existsSync(join('actions', name, 'action.yml')))
    .map((name) => {
      const parsed = parse(readFileSync(join('actions', name, 'action.yml'), 'utf8')) as {
        inputs?: Record<string, { required?: boolean }>;
        outputs?: Record<string, unknown>;
      };
      const inputs = Object.entries(parsed.inputs ?? {});
      return [
        name,
        {
          all: new Set(inputs.map(([key]) => key)),
          required: inputs.filter(([, spec]) => spec.required === true).map(([key]) => key),
          outputs: new Set(Object.keys(parsed.outputs ?? {})),
        },
      ];
    }),
);

/** The ```yaml blocks of a Markdown text, with the line each starts on (1-based, the fence's line). */
export function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```yaml') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    blocks.push({ line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

interface Step {
  uses?: unknown;
  with?: Record<string, unknown> | null;
}

/** Every mapping with a `uses:` key anywhere in a parsed document: workflow steps, or a bare list of steps. */
function stepsOf(node: unknown): Step[] {
  if (Array.isArray(node)) return node.flatMap(stepsOf);
  if (typeof node !== 'object' || node === null) return [];
  const own = 'uses' in node ? [node as Step] : [];
  return [...own, ...Object.values(node).flatMap(stepsOf)];
}

/** `owner/repo/actions/<name>@ref` of this suite (under any owner, as README's `<org>/deploy`): the action's name. */
function suiteAction(uses: string): string | undefined {
  const name = /^[^/\s]+\/[^/\s]+\/actions\/([a-z-]+)@\S+$/.exec(uses)?.[1];
  return name !== undefined && actions.has(name) ? name : undefined;
}

/** What is wrong with the suite's steps of one YAML text: unknown inputs, missing required ones. */
export function problemsOf(text: string): string[] {
  const problems: string[] = [];
  for (const step of stepsOf(parse(text))) {
    if (typeof step.uses !== 'string') continue;
    const name = suiteAction(step.uses);
    if (name === undefined) continue;
    const inputs = actions.get(name)!;
    const given = Object.keys(step.with ?? {});
    for (const key of given) if (!inputs.all.has(key)) problems.push(`${name}: "${key}" is not an input of its action.yml`);
    for (const key of inputs.required) if (!given.includes(key)) problems.push(`${name}: the required input "${key}" is missing`);
    // verify-health's url is required unless cluster and service are given (its action.yml says so in words).
    if (name === 'verify-health' && !given.includes('url') && !(given.includes('cluster') && given.includes('service')))
      problems.push('verify-health: neither url nor cluster and service are given');
  }
  return problems;
}

/** `steps.<id>.outputs.<name>` read of a step of this suite whose action.yml declares no such output. */
export function unknownOutputs(text: string): string[] {
  const actionOf = new Map<string, string>();
  for (const step of stepsOf(parse(text)) as (Step & { id?: unknown })[]) {
    const name = typeof step.uses === 'string' ? suiteAction(step.uses) : undefined;
    if (name !== undefined && typeof step.id === 'string') actionOf.set(step.id, name);
  }
  return [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
    .filter(([, id, output]) => actionOf.has(id) && !actions.get(actionOf.get(id)!)!.outputs.has(output))
    .map(([read, id]) => `${read} (${actionOf.get(id)} has no such output)`);
}

/** Third-party `uses:` lines not pinned the way README promises: a full commit SHA and the version in a comment. */
export function unpinnedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s*(- )?uses:\s/.test(line))
    .filter((line) => {
      const uses = /uses:\s*(\S+)/.exec(line)![1];
      if (uses.startsWith('./') || uses.startsWith('docker://') || suiteAction(uses) !== undefined) return false;
      return !/@[0-9a-f]{40}\s+#\s*v\d+(\.\d+){0,2}\s*$/.test(line);
    })
    .map((line) => line.trim());
}

const readme = readFileSync('README.md', 'utf8');
const blocks = yamlBlocks(readme);

test('README has workflow examples to check', () => {
  expect(blocks.filter(({ text }) => problemsOf(text).length === 0 && /uses:/.test(text)).length).toBeGreaterThan(5);
});

describe.each(blocks.map((block) => [block.line, block.text] as const))('README ```yaml block at line %i', (_line, text) => {
  test('parses as YAML', () => {
    expect(() => parse(text)).not.toThrow();
  });
  test("gives this suite's actions only inputs their action.yml has, and every required one", () => {
    expect(problemsOf(text)).toEqual([]);
  });
  test("reads only outputs this suite's actions declare", () => {
    expect(unknownOutputs(text)).toEqual([]);
  });
  test('pins third-party actions by full commit SHA with the version in a comment', () => {
    expect(unpinnedLines(text)).toEqual([]);
  });
  test('tags no image latest (the suite creates repositories with immutable tags)', () => {
    expect(text).not.toMatch(/^\s*tags:\s*['"]?latest['"]?\s*$/m);
  });
});

// The IAM policies adopters paste into IAM's console: a trailing comma there is refused with no line to look at.
test("README's json blocks (the IAM policies) parse", () => {
  const jsonBlocks = [...readme.matchAll(/^```json\n([\s\S]*?)^```/gm)];
  expect(jsonBlocks.length).toBeGreaterThan(5);
  const unparsable = jsonBlocks.filter(([, body]) => {
    try {
      JSON.parse(body);
      return false;
    } catch {
      return true;
    }
  });
  expect(unparsable.map(([block]) => block.slice(0, 80))).toEqual([]);
});

// The checks above must be able to fail: the same functions on examples that are wrong.
test('README\'s "main template, whole" is workflows-templates/ecs-deploy.yml as it is, line for line', () => {
  // A reader copies the README's copy as often as the file: a fix made to one only would leave the other wrong.
  const readme = readFileSync('README.md', 'utf8').split('\n');
  const intro = readme.indexOf('The main template, whole:');
  expect(intro).toBeGreaterThan(0);
  const copy = blocks.find((block) => block.line > intro + 1);
  expect(copy?.text).toBe(readFileSync(join('workflows-templates', 'ecs-deploy.yml'), 'utf8').replace(/\n$/, ''));
});

describe('the checks catch', () => {
  test('an input the action does not have', () => {
    const text = ['- uses: <org>/deploy/actions/deploy-ecs@v1', '  with:', '    cluster: c', '    wait-for-service-stability: true'].join(
      '\n',
    );
    expect(problemsOf(text)).toEqual(['deploy-ecs: "wait-for-service-stability" is not an input of its action.yml']);
  });
  test('a required input left out', () => {
    expect(problemsOf(['- uses: <org>/deploy/actions/build-push@v1', '  with:', '    context: .'].join('\n'))).toEqual([
      'build-push: the required input "repository" is missing',
    ]);
  });
  test('verify-health with neither url nor cluster and service', () => {
    expect(problemsOf(['- uses: <org>/deploy/actions/verify-health@v1', '  with:', '    cluster: c'].join('\n'))).toHaveLength(1);
  });
  test('an output the action does not declare', () => {
    const text = [
      '- id: deploy',
      '  uses: <org>/deploy/actions/deploy-ecs@v1',
      '  with: { cluster: c }',
      '- run: echo ${{ steps.deploy.outputs.revision }}',
    ].join('\n');
    expect(unknownOutputs(text)).toEqual(['steps.deploy.outputs.revision (deploy-ecs has no such output)']);
  });
  test('a third-party action pinned by tag', () => {
    expect(unpinnedLines('      - uses: actions/checkout@v4')).toEqual(['- uses: actions/checkout@v4']);
    expect(unpinnedLines('      - uses: actions/checkout@93cb6efe18208431cddfb8368fd83d5badbf9bfd # v5.0.1')).toEqual([]);
  });
  test('a yaml block inside the Markdown', () => {
    expect(yamlBlocks('text\n```yaml\na: 1\n```\n')).toEqual([{ line: 2, text: 'a: 1' }]);
  });
});
