import { describe, expect, test } from '@jest/globals';
import { codeBlock, heading, link, section, table } from '../src/report/markdown';

describe('table', () => {
  test('header, separator and one line a row', () => {
    expect(
      table(
        ['Task', 'Exit'],
        [
          ['abc', 1],
          ['def', 137],
        ],
      ),
    ).toBe(['| Task | Exit |', '| --- | --- |', '| abc | 1 |', '| def | 137 |'].join('\n'));
  });

  test.each<[string, string | number | undefined, string]>([
    ['a pipe is escaped', 'a|b', 'a\\|b'],
    ['several pipes', '||', '\\|\\|'],
    ['a newline becomes <br>', 'line 1\nline 2', 'line 1<br>line 2'],
    ['CRLF becomes one <br>', 'line 1\r\nline 2', 'line 1<br>line 2'],
    ['undefined is an empty cell', undefined, ' '],
    ['an empty string is an empty cell', '', ' '],
    ['zero is kept', 0, '0'],
  ])('%s', (_, value, expected) => {
    expect(table(['h'], [[value]]).split('\n')[2]).toBe(`| ${expected} |`);
  });

  test('a cell cannot add a column or a row', () => {
    const rendered = table(['a', 'b'], [['x | y\n| z | w |', 'ok']]);
    const lines = rendered.split('\n');
    expect(lines).toHaveLength(3);
    // Unescaped pipes delimit cells: there must be exactly three on the row, as for two columns.
    expect(lines[2].match(/(?<!\\)\|/g)).toHaveLength(3);
  });

  test('no rows is just the header', () => {
    expect(table(['a'], [])).toBe('| a |\n| --- |');
  });
});

describe('codeBlock', () => {
  test('plain lines in a triple-backtick fence', () => {
    expect(codeBlock(['one', 'two'])).toBe('```\none\ntwo\n```');
  });

  test.each([
    ['a triple backtick', ['before', '```', 'after'], 4],
    ['a fence with a language', ['```js', 'x()', '```'], 4],
    ['four backticks', ['````'], 5],
    ['backticks inside a line', ['run `npm ci` then ``` and ``````'], 7],
    ['single backticks only', ['`x`'], 3],
  ])('a body containing %s cannot close the fence', (_, lines, fenceLength) => {
    const block = codeBlock(lines);
    const fence = '`'.repeat(fenceLength);
    expect(block.startsWith(`${fence}\n`)).toBe(true);
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    expect(block.slice(fenceLength + 1, -(fenceLength + 1))).toBe(lines.join('\n'));
    // CommonMark closes a fence only with a line of at least as many backticks as it opened with.
    const inner = block.split('\n').slice(1, -1);
    for (const line of inner) {
      const run = /^\s*(`+)\s*$/.exec(line);
      if (run) expect(run[1].length).toBeLessThan(fenceLength);
    }
  });
});

describe('heading, link, section', () => {
  test('heading levels', () => {
    expect(heading('Deploy')).toBe('## Deploy');
    expect(heading('Details', 3)).toBe('### Details');
  });

  test('link text loses square brackets so it cannot break the link', () => {
    expect(link('task [abc]', 'https://example.com/t')).toBe('[task abc](https://example.com/t)');
  });

  test('section joins blocks with a blank line and skips empty ones', () => {
    expect(section('a', undefined, false, '', 'b')).toBe('a\n\nb');
  });
});
