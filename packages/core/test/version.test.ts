import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITE_VERSION } from '../src/common/version';

describe('SUITE_VERSION', () => {
  test('equals the version in the root package.json', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(manifest.name).toBe('ecs-deploy-suite');
    expect(SUITE_VERSION).toBe(manifest.version);
  });

  test('is a semantic version', () => {
    expect(SUITE_VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });
});
