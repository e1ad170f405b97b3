import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common';
import { keptTagsNote, revisionTags } from '../src/task-definition';

const run = [
  { key: 'github:commit', value: 'new' },
  { key: 'github:run', value: 'https://github.com/acme/shop/actions/runs/2' },
];

describe('revisionTags', () => {
  test("keeps the base's own tags, replaces all its run tags with this run's, then adds the input's", () => {
    const base = [
      { key: 'team', value: 'web' },
      { key: 'github:commit', value: 'old' },
      { key: 'github:actor', value: 'someone-earlier' },
    ];
    expect(revisionTags(base, run, [{ key: 'release', value: '7' }])).toEqual([
      { key: 'team', value: 'web' },
      ...run,
      { key: 'release', value: '7' },
    ]);
  });

  test("leaves out AWS's own aws: tags of the base, which ECS refuses in a request", () => {
    expect(revisionTags([{ key: 'aws:cloudformation:stack-name', value: 'web' }], run, [])).toEqual(run);
  });

  test('refuses more than 50 tags in all, counting where they come from', () => {
    const base = Array.from({ length: 49 }, (_, i) => ({ key: `b${i}`, value: '' }));
    expect(() => revisionTags(base, run, [])).toThrow(ConfigurationError);
    expect(() => revisionTags(base, run, [])).toThrow(
      /51 tags \(49 kept from its base revision or file, 2 of this workflow run, 0 of input 'tags'\)/,
    );
  });
});

describe('keptTagsNote', () => {
  test("names the kept revision's commit and this run's", () => {
    expect(keptTagsNote([{ key: 'github:commit', value: 'old' }], run)).toBe(
      "It keeps the tags it was registered with, of commit old, not this run's (new): a revision is never registered only to change its tags.",
    );
  });

  test('says so when the kept revision has no commit tag', () => {
    expect(keptTagsNote([], run)).toMatch(/^It keeps the tags it was registered with \(no github:commit: registered outside this suite/);
  });
});
