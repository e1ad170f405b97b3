/**
 * Where a value sits in a JSON file's text, so an error about it can be annotated on its line. JSON.parse keeps no
 * positions, so the text is scanned once: each key's line, and each array element's, recorded under its path.
 */

/** `containerDefinitions[0].portMappings[1].hostport` → ['containerDefinitions', '0', 'portMappings', '1', 'hostport']. */
export function pathSegments(path: string): string[] {
  return path.split(/\.|\[(\d+)\]/).filter((segment): segment is string => segment !== undefined && segment !== '');
}

type Frame = { kind: 'object'; key?: string; expectKey: boolean } | { kind: 'array'; index: number; elementPending: boolean };

/** Every key and array element of the text, by path (segments joined with NUL), with the line it starts on. */
function lineIndex(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: Frame[] = [];
  const pathOf = () => stack.map((frame) => (frame.kind === 'object' ? (frame.key ?? '') : String(frame.index))).join('\u0000');
  let line = 1;
  const noteElement = () => {
    const top = stack[stack.length - 1];
    if (top?.kind === 'array' && top.elementPending) {
      top.elementPending = false;
      if (!lines.has(pathOf())) lines.set(pathOf(), line);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') {
      line++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') continue;
    const top = stack[stack.length - 1];
    if (char === '"') {
      let end = i + 1;
      let value = '';
      while (end < text.length && text[end] !== '"') {
        if (text[end] === '\\') {
          value += text.slice(end, end + 2);
          end += 2;
        } else value += text[end++];
      }
      if (top?.kind === 'object' && top.expectKey) {
        top.key = value;
        top.expectKey = false;
        // The key's own path: the object's path with the key (stack already holds it as the top frame's key).
        if (!lines.has(pathOf())) lines.set(pathOf(), line);
      } else noteElement();
      i = end;
      continue;
    }
    if (char === ',') {
      if (top?.kind === 'array') {
        top.index++;
        top.elementPending = true;
      } else if (top?.kind === 'object') top.expectKey = true;
      continue;
    }
    if (char === '{' || char === '[') {
      noteElement();
      stack.push(char === '{' ? { kind: 'object', expectKey: true } : { kind: 'array', index: 0, elementPending: true });
      continue;
    }
    if (char === '}' || char === ']') {
      stack.pop();
      continue;
    }
    if (char === ':') continue;
    noteElement();
  }
  return lines;
}

/**
 * The line of the value at `path` (a key's line, or an array element's), or of its nearest enclosing key or element
 * found; undefined when not even the first segment is in the text.
 */
export function jsonPathLine(text: string, path: string): number | undefined {
  const index = lineIndex(text);
  const segments = pathSegments(path);
  for (let length = segments.length; length > 0; length--) {
    const found = index.get(segments.slice(0, length).join('\u0000'));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The line JSON.parse's error points at: V8 says "(line 3 column 5)" in newer versions and "at position 52" in older
 * ones; undefined when it says neither (an unexpected end names no place, but it is then the last line).
 */
export function jsonErrorLine(text: string, error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const stated = /\(line (\d+) column \d+\)/.exec(message);
  if (stated) return Number(stated[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  if (/end of JSON input/i.test(message)) return text.replace(/\s+$/, '').split('\n').length;
  return undefined;
}
