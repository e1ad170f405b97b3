/** build-push masks each line of a multi-line build secret, a variable's and a file's, before the build starts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();

describe('build-push with multi-line build secrets', () => {
  test("the bundled action registers a mask for each line, a variable's and a file's, before the build command", async () => {
    const repository = uniqueName('sec-lines');
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `secret lines ${sha}\n` });
    const fileLines = [
      `//registry.npmjs.org/:_authToken=npm-${sha.slice(0, 16)}`,
      `@acme:registry=https://npm.acme.example/${sha.slice(16, 28)}`,
    ];
    writeFileSync(join(workspace, '.npmrc'), `${fileLines.join('\n')}\n`);
    const keyLines = ['-----BEGIN OPENSSH PRIVATE KEY-----', `b3BlbnNzaC1rZXk${sha.slice(0, 24)}`, '-----END OPENSSH PRIVATE KEY-----'];

    const run = await runBuildPush(
      world(),
      { repository, builder: 'buildah', 'create-repository': 'true', secrets: 'key=DEPLOY_KEY', 'secret-files': 'npmrc=.npmrc' },
      { sha, workspace, env: { DEPLOY_KEY: `${keyLines.join('\n')}\n` } },
    );

    expect(errorsOf(run)).toEqual([]);
    const texts = run.lines.map((line) => line.text);
    const build = texts.findIndex((text) => text.startsWith('[command]') && text.includes('buildah build'));
    expect(build).toBeGreaterThan(0);
    const masked = texts.slice(0, build).flatMap((text) => (text.startsWith('::add-mask::') ? [text.slice('::add-mask::'.length)] : []));
    expect(masked).toEqual(expect.arrayContaining([...keyLines, ...fileLines]));
  });
});
