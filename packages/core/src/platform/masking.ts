import * as core from '@actions/core';
import type { KeyValue } from '../common/inputs';
import { secretValues } from '../common/secret-values';

/** Masks the credentials among KEY=VALUE inputs in the job log (see secretValues for which). */
export function maskSecretValues(pairs: KeyValue[], setSecret: (value: string) => void = core.setSecret): void {
  for (const value of secretValues(pairs)) setSecret(value);
}
