import { loadTaskDefinitionFile, type LoadedDefinition } from '../../task-definition/load';
import { renderTaskDefinition, type RevisionChanges } from '../../task-definition/render';
import type { PreflightCheck } from '../check';

export interface FileRendersOptions {
  path: string;
  /** What the step sets on the file's containers (container, image, images, environment, secrets). */
  changes: RevisionChanges;
  input?: string;
}

/**
 * The task-definition file reads, is a task definition, and takes the step's changes (its container exists).
 * No AWS call: a broken file or container name is found before anything is asked of AWS. Its value is the
 * loaded file, as read (the use case renders it against the live revision).
 */
export function fileRendersCheck(options: FileRendersOptions): PreflightCheck<LoadedDefinition> {
  return {
    id: 'file-renders',
    title: 'Task definition file renders',
    protects: false,
    // Needed: the deploy goes on with the file as loaded; skipped, it would deploy the live revision instead.
    needed: true,
    run: async () => {
      const loaded = await loadTaskDefinitionFile(options.path, options.input);
      const rendered = renderTaskDefinition(loaded.definition, options.changes);
      const count = rendered.containerDefinitions?.length ?? 0;
      return {
        status: 'pass',
        detail: `"${options.path}" renders: family ${rendered.family}, ${count} container${count === 1 ? '' : 's'}`,
        value: loaded,
      };
    },
  };
}
