import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The starter workflows users copy. */
export const templateFiles = (): string[] => yamlFiles('workflows-templates');

/** This repository's own workflows. */
export const repositoryWorkflowFiles = (): string[] => yamlFiles(join('.github', 'workflows'));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}
