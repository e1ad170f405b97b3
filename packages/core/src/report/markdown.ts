/** Small builders for job summaries: GitHub renders Markdown, and these keep cells and code safe. */

export function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const line = (cells: (string | number | undefined)[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function cell(value: string | number | undefined): string {
  if (value === undefined || value === '') return ' ';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function codeBlock(lines: string[]): string {
  const body = lines.join('\n');
  // A fence longer than any run of backticks in the body cannot be closed by the body.
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${body}\n${fence}`;
}

export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${text}`;
}

/** A markdown link; the text alone when there is no address (a console the suite knows none for). */
export function link(text: string, url: string | undefined): string {
  if (!url) return text;
  return `[${text.replace(/[[\]]/g, '')}](${url})`;
}

export function section(...blocks: (string | undefined | false)[]): string {
  return blocks.filter(Boolean).join('\n\n');
}
