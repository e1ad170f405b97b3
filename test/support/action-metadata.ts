import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ActionMetadata {
  inputs: Record<string, { default?: string; required: boolean }>;
  outputs: string[];
}

/** The inputs (with defaults) and outputs an actions/<name>/action.yml declares; undefined when it has none. */
export function actionMetadata(action: string): ActionMetadata | undefined {
  const file = join('actions', action, 'action.yml');
  if (!existsSync(file)) return undefined;
  const yaml = readFileSync(file, 'utf8');
  const inputs: ActionMetadata['inputs'] = {};
  for (const [, name, body] of section(yaml, 'inputs').matchAll(/^ {2}([a-z0-9-]+):\n((?: {4}.*\n?)*)/gm)) {
    const quoted = /^ {4}default: '((?:[^']|'')*)'/m.exec(body)?.[1]?.replace(/''/g, "'");
    const bare = /^ {4}default: (?!')(.*)$/m.exec(body)?.[1];
    inputs[name] = { default: quoted ?? bare?.replace(/^"|"$/g, ''), required: /^ {4}required: true/m.test(body) };
  }
  const outputs = [...section(yaml, 'outputs').matchAll(/^ {2}([a-z0-9-]+):/gm)].map((match) => match[1]);
  return { inputs, outputs };
}

export function hasBundle(action: string): boolean {
  return existsSync(join('actions', action, 'dist', 'index.js'));
}

function section(yaml: string, name: 'inputs' | 'outputs'): string {
  return new RegExp(`^${name}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(yaml)?.[1] ?? '';
}
