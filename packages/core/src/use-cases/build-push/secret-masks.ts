import { readFileSync } from 'node:fs';
import type { BuildSecret } from './request';

/**
 * Lines this short are a file's structure (`{`, `},`, `]`), not a credential: masking one would star every brace in
 * the log.
 */
const MIN_LINE = 4;

/**
 * What to mask for one secret value. The runner masks a value only where a log line holds it whole, and a build
 * prints a multi-line secret (a key, a .npmrc, a JSON credential a RUN step cats) line by line, so each line is
 * masked on its own (trimmed: indentation and the build's line prefixes are around it, not in it). A one-line
 * value is masked as it is, whatever its length.
 */
export function secretMasks(value: string): string[] {
  const lines = value.split(/\r?\n|\r/);
  if (lines.length === 1) return value ? [value] : [];
  return [...new Set(lines.map((line) => line.trim()).filter((line) => line.length >= MIN_LINE))];
}

/**
 * The values of the build's secrets: each `secrets` variable's, and each `secret-files` file's content. The
 * builder reads the file itself, but what a RUN step prints of it reaches the log, so its lines are masked too. A
 * file holding NUL bytes is binary, printed as no line of text: nothing of it is masked.
 */
export function buildSecretValues(secrets: BuildSecret[], env: NodeJS.ProcessEnv): string[] {
  return secrets.flatMap((secret) => {
    if (secret.env) return env[secret.env] ? [env[secret.env] as string] : [];
    if (!secret.file) return [];
    const content = readFileSync(secret.file, 'utf8');
    return content.includes('\0') ? [] : [content];
  });
}
