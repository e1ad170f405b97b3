import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, type Inputs } from '@ecs-deploy/core/common';
import type { BuildSecret } from '@ecs-deploy/core/use-cases';

// A secret's id, as a Dockerfile's RUN --mount=type=secret,id=... names it.
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const asPath = (path: string, workspace: string) => (isAbsolute(path) ? path : resolve(workspace, path));

/**
 * `secrets` (id=ENV_NAME lines: the value is the step's environment variable, set from `${{ secrets.X }}`, so it
 * never is an argument) and `secret-files` (id=path lines). Each id once across both; every variable set and every
 * file present, so a typo fails here rather than as a build that cannot read its secret.
 */
export function readBuildSecrets(inputs: Inputs, workspace: string, env: NodeJS.ProcessEnv): BuildSecret[] {
  const secrets: BuildSecret[] = [];
  const seen = new Set<string>();
  const take = (input: string, id: string, rest: string, example: string): void => {
    if (!SECRET_ID.test(id) || !rest)
      throw new ConfigurationError(`Input '${input}' must hold ${example} lines; got a line starting "${id.slice(0, 20)}".`, input);
    if (seen.has(id)) throw new ConfigurationError(`Input '${input}' gives secret ${id} a second time; give each id one line.`, input);
    seen.add(id);
  };
  for (const line of inputs.list('secrets')) {
    const [id, name = ''] = splitOnce(line);
    take('secrets', id, name, "id=ENV_NAME (e.g. npm_token=NPM_TOKEN, with NPM_TOKEN set in the step's env from a secret)");
    if (!ENV_NAME.test(name))
      throw new ConfigurationError(
        `Input 'secrets' line for ${id} names "${name}", which is not an environment variable name; write ${id}=ENV_NAME and set ENV_NAME in the step's env.`,
        'secrets',
      );
    if (!env[name])
      throw new ConfigurationError(
        `Input 'secrets' reads secret ${id} from environment variable ${name}, which is not set (or empty) in this step; add it under the step's env, e.g. ${name}: \${{ secrets.${name} }}.`,
        'secrets',
      );
    secrets.push({ id, env: name });
  }
  for (const line of inputs.list('secret-files')) {
    const [id, path = ''] = splitOnce(line);
    take('secret-files', id, path, 'id=path (e.g. npmrc=.npmrc)');
    const file = asPath(path, workspace);
    if (!existsSync(file) || !statSync(file).isFile())
      throw new ConfigurationError(
        `Input 'secret-files' names "${path}" for secret ${id}, which is not a file in the workspace.`,
        'secret-files',
      );
    secrets.push({ id, file });
  }
  return secrets;
}

/**
 * `ssh` lines: `default` (the agent of SSH_AUTH_SOCK) or id=path (an agent socket or a key file), as buildx's and
 * buildah's --ssh take them.
 */
export function readSsh(inputs: Inputs, workspace: string, env: NodeJS.ProcessEnv): string[] {
  return inputs.list('ssh').map((line) => {
    if (line === 'default') {
      if (!env.SSH_AUTH_SOCK)
        throw new ConfigurationError(
          "Input 'ssh' is default, which forwards the agent of SSH_AUTH_SOCK, and SSH_AUTH_SOCK is not set; start an agent first (e.g. webfactory/ssh-agent) or give id=path-to-key.",
          'ssh',
        );
      return 'default';
    }
    const [id, path = ''] = splitOnce(line);
    if (!SECRET_ID.test(id) || !path)
      throw new ConfigurationError(`Input 'ssh' must hold "default" or id=path lines (an agent socket or key file); got "${line}".`, 'ssh');
    const file = asPath(path, workspace);
    if (!existsSync(file)) throw new ConfigurationError(`Input 'ssh' names "${path}" for ${id}, which does not exist.`, 'ssh');
    return `${id}=${file}`;
  });
}

function splitOnce(line: string): [string, string | undefined] {
  const at = line.indexOf('=');
  return at < 0 ? [line.trim(), undefined] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
}
