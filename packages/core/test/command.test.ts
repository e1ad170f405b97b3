import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import { formatCommand, parseCommand, splitShellWords } from '../src/common/command';

describe('parseCommand', () => {
  test.each([
    ['npm run migrate', ['npm', 'run', 'migrate']],
    ['  node  migrate.mjs\tup 2 ', ['node', 'migrate.mjs', 'up', '2']],
    [`sh -c 'echo "$HOME" && exit 3'`, ['sh', '-c', 'echo "$HOME" && exit 3']],
    ['echo "a \\"quoted\\" word" plain\\ space', ['echo', 'a "quoted" word', 'plain space']],
    [`echo '' ""`, ['echo', '', '']],
    ['multi\nline command', ['multi', 'line', 'command']],
    ['["node", "migrate.mjs", "up"]', ['node', 'migrate.mjs', 'up']],
    ['[ "with space", "" ]', ['with space', '']],
    // A backslash at a line's end continues the command, as in sh (a YAML block scalar written like a script).
    ['node migrate.mjs \\\n  up', ['node', 'migrate.mjs', 'up']],
    ['node migrate.mjs \\\r\n  up', ['node', 'migrate.mjs', 'up']],
    ['echo "a\\\nb"', ['echo', 'ab']],
    ["echo 'a\\\nb'", ['echo', 'a\\\nb']],
    ['multi\r\nline', ['multi', 'line']],
  ])('%j', (text, words) => {
    expect(parseCommand(text)).toEqual(words);
  });

  test('empty text is no command', () => {
    expect(parseCommand('   ')).toBeUndefined();
  });

  test.each([
    ['["node", "migrate.mjs"', /^Input 'command' starts with "\[" but is not valid JSON/],
    ['["node", 3]', /^Input 'command' must be a JSON array of strings/],
    ['[]', /^Input 'command' holds no command/],
    ['echo "open', /unclosed double quote/],
    ["echo 'open", /unclosed single quote/],
  ])('refuses %j naming the input', (text, message) => {
    expect(() => parseCommand(text)).toThrow(ConfigurationError);
    expect(() => parseCommand(text)).toThrow(message);
  });

  test('names another input when asked', () => {
    expect(() => splitShellWords('"x', 'entry-point')).toThrow(/^Input 'entry-point'/);
  });
});

describe('formatCommand', () => {
  test('quotes only what a shell would split or expand, and round-trips', () => {
    const words = ['node', 'migrate.mjs', 'up', "it's $HOME", ''];
    const line = formatCommand(words);
    expect(line).toBe(`node migrate.mjs up 'it'\\''s $HOME' ''`);
    expect(splitShellWords(line)).toEqual(words);
  });
});
