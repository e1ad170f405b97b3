import { ConfigurationError } from './errors';

/**
 * A container command as users write it in a workflow: a JSON array (`["npm", "run", "migrate"]`) or shell
 * words (`npm run migrate -- --to 42`, with '...' and "..." quoting and backslash escapes). No shell runs
 * it: ECS gets the words as they are, so `$VAR`, globs and pipes are not expanded. Empty text is undefined.
 */
export function parseCommand(text: string, inputName = 'command'): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const words = trimmed.startsWith('[') ? parseJsonArray(trimmed, inputName) : splitShellWords(trimmed, inputName);
  if (words.length === 0)
    throw new ConfigurationError(`Input '${inputName}' holds no command; give at least the program to run.`, inputName);
  return words;
}

function parseJsonArray(text: string, inputName: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `Input '${inputName}' starts with "[" but is not valid JSON (${(error as Error).message}); give a JSON array of strings such as ["npm", "run", "migrate"], or plain shell words.`,
      inputName,
    );
  }
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a JSON array of strings such as ["npm", "run", "migrate"]; got ${text.slice(0, 80)}.`,
      inputName,
    );
  }
  return parsed;
}

/** POSIX-like word splitting without expansion: what `sh -c` would pass as argv, minus the dangerous parts. */
export function splitShellWords(input: string, inputName = 'command'): string[] {
  const text = input.replace(/\r\n?/g, '\n');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    // A backslash at a line's end continues the command on the next line (a YAML block scalar), as in sh.
    if (char === '\\' && text.startsWith('\n', i + 1)) {
      i += 1;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\' && i + 1 < text.length) word += text[++i];
    else word += char;
  }
  if (quote)
    throw new ConfigurationError(
      `Input '${inputName}' has an unclosed ${quote === '"' ? 'double' : 'single'} quote; close it or give a JSON array.`,
      inputName,
    );
  if (inWord) words.push(word);
  return words;
}

/** The words as one line a person could paste into a shell, for logs and summaries. */
export function formatCommand(words: string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
