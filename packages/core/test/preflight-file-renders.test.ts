import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileRendersCheck } from '../src/preflight/checks/file-renders';
import { preflightFailure, preflightOf } from './support/preflight';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-preflight-file-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const twoContainers = {
  family: 'multi',
  containerDefinitions: [
    { name: 'app', image: 'app:1' },
    { name: 'proxy', image: 'proxy:1' },
  ],
};

describe('fileRendersCheck', () => {
  test('a file that renders passes, and the file as read is handed on', async () => {
    const file = write('ok.json', twoContainers);
    const c = fileRendersCheck({ path: file, changes: { container: 'app', image: 'app:2' } });
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: `"${file}" renders: family multi, 2 containers` });
    expect(report.valueOf(c)?.definition.containerDefinitions?.[0].image).toBe('app:1');
  });

  test("a missing file fails with today's message", async () => {
    const error = await preflightFailure(fileRendersCheck({ path: 'nope.json', changes: {} }));
    expect(error.message).toBe(
      "Input 'task-definition' names the file \"nope.json\", which does not exist. Give the path of a task definition JSON file relative to the workspace, or leave it empty to use the service's current revision.",
    );
    expect(error.input).toBe('task-definition');
  });

  test("a file that is not JSON fails with today's message", async () => {
    const file = write('broken.json', '{ "family": "multi", ');
    expect((await preflightFailure(fileRendersCheck({ path: file, changes: {} }))).message).toMatch(
      new RegExp(`^Input 'task-definition': the file "${file}" is not valid JSON`),
    );
  });

  test("a container the file does not have fails with today's message", async () => {
    const file = write('multi.json', twoContainers);
    const error = await preflightFailure(fileRendersCheck({ path: file, changes: { container: 'web', image: 'x:1' } }));
    expect(error.message).toBe('Input \'container\' names "web", but task definition family multi has the containers "app", "proxy".');
    expect(error.input).toBe('container');
  });

  test("an ambiguous container fails with today's message", async () => {
    const file = write('ambiguous.json', twoContainers);
    expect((await preflightFailure(fileRendersCheck({ path: file, changes: { image: 'x:1' } }))).message).toBe(
      'Input \'container\' is required because task definition family multi has the containers "app", "proxy"; set it to the one to change.',
    );
  });
});
