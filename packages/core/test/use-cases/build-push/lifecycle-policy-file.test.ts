import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/common';
import { lifecyclePolicyText } from '../../../src/use-cases/build-push/lifecycle';
import { loadLifecyclePolicyFile } from '../../../src/use-cases/build-push/lifecycle-policy-file';
import { ageRulesOverTaggedImages, lifecyclePolicyProblems } from '../../../src/use-cases/build-push/lifecycle-policy-rules';

const rule = (rulePriority: number, selection: Record<string, unknown>) => ({ rulePriority, selection, action: { type: 'expire' } });
const untagged = (priority: number) =>
  rule(priority, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 });
const keepTagged = (priority: number) =>
  rule(priority, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 });
const any = (priority: number) => rule(priority, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 });
const paths = (policy: unknown) => lifecyclePolicyProblems(policy).map((problem) => problem.path);

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lifecycle-')), 'policy.json');
  writeFileSync(path, text);
  return path;
}
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('not refused');
};

describe('lifecyclePolicyProblems', () => {
  test('takes the policy the lifecycle-* inputs build', () => {
    expect(lifecyclePolicyProblems(JSON.parse(lifecyclePolicyText({ keepTagged: 30, expireUntaggedDays: 7 })))).toEqual([]);
  });

  test('takes an any rule at the highest priority, and priorities that are not sequential', () => {
    expect(lifecyclePolicyProblems({ rules: [untagged(10), keepTagged(20), any(99)] })).toEqual([]);
  });

  test('a policy without rules is named at rules', () => {
    expect(lifecyclePolicyProblems({ rules: [] })).toEqual([{ path: 'rules', problem: 'must be a non-empty list of rules; is []' }]);
    expect(paths([])).toEqual(['$']);
  });

  test('a repeated rulePriority is named at the second rule, saying whose it is', () => {
    expect(lifecyclePolicyProblems({ rules: [untagged(1), keepTagged(1)] })).toEqual([
      { path: 'rules[1].rulePriority', problem: "1 is also rules[0]'s; each rule needs its own" },
    ]);
  });

  test.each([[0], [1.5], ['1']])('rulePriority %p is refused', (priority) => {
    expect(paths({ rules: [{ ...untagged(1), rulePriority: priority }] })).toEqual(['rules[0].rulePriority']);
  });

  test('an any rule below another rule is refused at its rulePriority', () => {
    expect(lifecyclePolicyProblems({ rules: [any(1), keepTagged(2)] })).toEqual([
      { path: 'rules[0].rulePriority', problem: 'is 1, and a rule with tagStatus any must have the highest rulePriority (here 2)' },
    ]);
  });

  test('a second any rule, and a second untagged rule, are refused', () => {
    expect(paths({ rules: [untagged(1), { ...untagged(2) }, any(3), any(4)] })).toEqual([
      'rules[3].selection.tagStatus',
      'rules[2].rulePriority',
      'rules[1].selection.tagStatus',
    ]);
  });

  test('tagged needs a tag list; untagged takes none', () => {
    expect(
      paths({
        rules: [
          rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 3 }),
          rule(2, { tagStatus: 'untagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 3 }),
        ],
      }),
    ).toEqual(['rules[0].selection.tagStatus', 'rules[1].selection.tagPrefixList']);
  });

  test('a tag pattern with more than four wildcards is named by its index', () => {
    const policy = {
      rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['v*', '*a*b*c*d*'], countType: 'imageCountMoreThan', countNumber: 3 })],
    };
    expect(lifecyclePolicyProblems(policy)).toEqual([
      { path: 'rules[0].selection.tagPatternList[1]', problem: '"*a*b*c*d*" has more than 4 wildcards (*)' },
    ]);
  });

  test('each bad selection field and the action are named, all at once', () => {
    const policy = {
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'old', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 0 },
          action: { type: 'delete' },
        },
        { rulePriority: 2, selection: { tagStatus: 'any', countType: 'newest', countNumber: 5 } },
      ],
    };
    expect(lifecyclePolicyProblems(policy)).toEqual([
      { path: 'rules[0].selection.tagStatus', problem: 'must be tagged, untagged or any; is "old"' },
      { path: 'rules[0].selection.countUnit', problem: 'must be "days" when countType is sinceImagePushed; is "hours"' },
      { path: 'rules[0].selection.countNumber', problem: 'must be a positive integer; is 0' },
      { path: 'rules[0].action.type', problem: 'must be "expire"; is "delete"' },
      { path: 'rules[1].selection.countType', problem: 'must be imageCountMoreThan or sinceImagePushed; is "newest"' },
      { path: 'rules[1].action.type', problem: 'must be "expire"; is missing' },
    ]);
  });
});

describe('ageRulesOverTaggedImages', () => {
  const ageTagged = (priority: number) =>
    rule(priority, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 90 });

  test('names a rule expiring tagged images by age with no count rule before it', () => {
    expect(ageRulesOverTaggedImages({ rules: [untagged(1), ageTagged(2)] })).toEqual([{ index: 1, days: 90 }]);
  });

  test('a count rule over tagged images before it keeps the newest: nothing to name', () => {
    expect(ageRulesOverTaggedImages({ rules: [keepTagged(1), ageTagged(2)] })).toEqual([]);
  });
});

describe('loadLifecyclePolicyFile', () => {
  test('returns the text as the file holds it', () => {
    const text = `${JSON.stringify({ rules: [untagged(1)] }, null, 2)}\n`;
    expect(loadLifecyclePolicyFile(file(text), 'ops/lifecycle.json')).toEqual({ path: 'ops/lifecycle.json', text });
  });

  test('a missing file is refused naming the input and the path given', () => {
    const error = refusal(() => loadLifecyclePolicyFile('/nonexistent/policy.json', 'ops/policy.json'));
    expect(error.input).toBe('lifecycle-policy');
    expect(error.message).toBe(
      `Input 'lifecycle-policy' names the file "ops/policy.json", which does not exist; give the path of a JSON lifecycle policy file relative to the workspace.`,
    );
  });

  test('a JSON syntax error is annotated on its line', () => {
    const error = refusal(() => loadLifecyclePolicyFile(file('{\n  "rules": [\n    { "rulePriority": 1, }\n  ]\n}\n'), 'ops/policy.json'));
    expect(error.message).toMatch(/^Input 'lifecycle-policy': the file "ops\/policy.json" is not valid JSON \(/);
    expect(error.location).toEqual({ file: 'ops/policy.json', line: 3, title: 'Lifecycle policy file is not valid JSON' });
  });

  test('a policy ECR would refuse names every problem by its path and is annotated on the first one', () => {
    const text = JSON.stringify({ rules: [untagged(1), { ...keepTagged(1), action: { type: 'archive' } }] }, null, 2);
    const error = refusal(() => loadLifecyclePolicyFile(file(text), 'policy.json'));
    expect(error.message).toContain(
      `the file "policy.json" is not a lifecycle policy ECR takes: rules[1].rulePriority 1 is also rules[0]'s; each rule needs its own; rules[1].action.type must be "expire"; is "archive".`,
    );
    // rules[1]'s rulePriority: the second line naming one.
    const line = text.split('\n').flatMap((l, index) => (l.includes('"rulePriority"') ? [index + 1] : []))[1];
    expect(error.location).toEqual({ file: 'policy.json', line, title: 'Lifecycle policy ECR would refuse' });
  });
});
