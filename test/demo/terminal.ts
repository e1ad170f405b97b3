/** Renders a runner's log and a job summary readably in a terminal. */
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const bold = (text: string) => paint('1', text);
export const dim = (text: string) => paint('2', text);
export const red = (text: string) => paint('31', text);
export const green = (text: string) => paint('32', text);

/** Workflow commands as the Actions UI shows them: groups as headers, errors and warnings marked. */
export function renderLogLine(text: string): string | undefined {
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(text);
  if (!command) return `  ${text}`;
  const [, name, body] = command;
  const message = body.replace(/%0A/g, '\n    ').replace(/%0D/g, '').replace(/%25/g, '%');
  if (name === 'error') return red(`  Error: ${message}`);
  if (name === 'warning') return `  Warning: ${message}`;
  if (name === 'group') return bold(`  ▸ ${message}`);
  return undefined;
}

/** Markdown as a terminal shows it: headings bold, tables as rows, code blocks (log lines) kept as written. */
export function renderSummary(markdown: string): string {
  let inCode = false;
  return markdown
    .split('\n')
    .filter((line) => !/^\|\s*(---\s*\|\s*)+$/.test(line) && !/^\|\s+\|\s+\|$/.test(line))
    .map((line) => {
      if (line.startsWith('```')) inCode = !inCode;
      if (inCode || line.startsWith('```')) return `  ${line}`;
      if (line.startsWith('#')) return bold(`  ${line.replace(/^#+\s*/, '')}`);
      if (line.startsWith('|'))
        return `  ${line
          .replace(/^\|\s?|\s?\|$/g, '')
          .split(' | ')
          .join('  ·  ')}`;
      return `  ${line}`;
    })
    .join('\n');
}
