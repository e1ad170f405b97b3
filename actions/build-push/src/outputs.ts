import * as core from '@actions/core';
import type { BuildOutputs } from '@ecs-deploy/core/use-cases';

export function setBuildOutputs(outputs: BuildOutputs): void {
  core.setOutput('image', outputs.image);
  core.setOutput('digest', outputs.digest);
  core.setOutput('tags', outputs.references.join('\n'));
  core.setOutput('built', String(outputs.built));
}
