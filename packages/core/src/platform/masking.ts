import * as core from '@actions/core';
import type { KeyValue } from '../common/inputs';
import { secretValues } from '../common/secret-values';

const masked = new Set<string>();

/**
 * Masks a value in the job log (core.setSecret) and remembers it: the runner masks only the log, not the files a
 * step writes, so the job summary and the Deployment descriptions leave it out through redactSecrets.
 */
export function maskSecret(value: string): void {
  if (!value) return;
  masked.add(value);
  core.setSecret(value);
}

/** The text with every value masked so far replaced by ***, longest first (a value may contain another). */
export function redactSecrets(text: string): string {
  return [...masked].sort((a, b) => b.length - a.length).reduce((result, value) => result.split(value).join('***'), text);
}

/** Masks the credentials among KEY=VALUE inputs in the job log (see secretValues for which). */
export function maskSecretValues(pairs: KeyValue[], setSecret: (value: string) => void = maskSecret): void {
  for (const value of secretValues(pairs)) setSecret(value);
}
