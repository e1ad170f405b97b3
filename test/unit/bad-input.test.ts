import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readBuildInputs } from '../../actions/build-push/src/inputs';
import { readDeployInputs } from '../../actions/deploy-ecs/src/inputs';
import { readHealthInputs } from '../../actions/verify-health/src/inputs';
import { readMigrationInputs } from '../../actions/run-migration/src/inputs';
import { readRollbackInputs } from '../../actions/auto-rollback/src/inputs';
import type { BadInput, SurprisingInput } from '../e2e/bad-input/case';
import { autoRollbackBadInputs, autoRollbackSurprisingInputs } from '../e2e/bad-input/auto-rollback.cases';
import { buildPushBadInputs, buildPushSurprisingInputs } from '../e2e/bad-input/build-push.cases';
import { deployEcsBadInputs, deployEcsSurprisingInputs } from '../e2e/bad-input/deploy-ecs.cases';
import { runMigrationBadInputs, runMigrationSurprisingInputs } from '../e2e/bad-input/run-migration.cases';
import { verifyHealthBadInputs, verifyHealthSurprisingInputs } from '../e2e/bad-input/verify-health.cases';

// The parser rows of the bad-input matrix, run against each action's inputs reader: the same tables the e2e
// files run a representative part of through the bundled actions.

/** The workspace build-push's rows assume: a Dockerfile, and an app/ folder without one. */
function buildWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bad-input-workspace-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

const workspace = buildWorkspace();
type Reader = (inputs: Inputs) => unknown;
const actions: [string, Reader, BadInput[], SurprisingInput[]][] = [
  ['build-push', (inputs) => readBuildInputs(inputs, workspace), buildPushBadInputs, buildPushSurprisingInputs],
  ['run-migration', readMigrationInputs, runMigrationBadInputs, runMigrationSurprisingInputs],
  ['deploy-ecs', readDeployInputs, deployEcsBadInputs, deployEcsSurprisingInputs],
  ['verify-health', readHealthInputs, verifyHealthBadInputs, verifyHealthSurprisingInputs],
  ['auto-rollback', readRollbackInputs, autoRollbackBadInputs, autoRollbackSurprisingInputs],
];

// The sandbox's region, as the e2e runs see it in AWS_REGION; a row's `env` replaces it.
const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;
const saved = Object.fromEntries(REGION_VARIABLES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of REGION_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function readWith(read: Reader, row: { inputs: Record<string, string>; env?: Record<string, string> }) {
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_DEFAULT_REGION;
  Object.assign(process.env, row.env);
  const warnings: string[] = [];
  try {
    return { parsed: read(new Inputs(inputsFrom(row.inputs), (message) => warnings.push(message))), warnings };
  } catch (error) {
    return { error, warnings };
  }
}

describe.each(actions)('%s', (_action, read, bad, surprising) => {
  const parserRows = bad.filter((row) => row.refusedBy === 'parser');

  test.each(parserRows.map((row) => [row.name, row] as const))('refuses %s, naming the input', (_name, row) => {
    const { error } = readWith(read, row);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe(row.input);
    expect((error as ConfigurationError).message).toMatch(row.error);
  });

  test.each(surprising.map((row) => [row.name, row] as const))('accepts %s', (_name, row) => {
    const { parsed, error, warnings } = readWith(read, row);
    expect(error).toBeUndefined();
    expect(parsed).toMatchObject(row.parsed);
    if (row.warning) expect(warnings).toEqual([expect.stringMatching(row.warning)]);
    else expect(warnings).toEqual([]);
  });
});
