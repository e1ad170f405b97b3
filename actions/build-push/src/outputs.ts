import * as core from '@actions/core';

export interface BuildOutputs {
  image: string;
  digest: string;
  references: string[];
  built: boolean;
}

export function setBuildOutputs(outputs: BuildOutputs): void {
  core.setOutput('image', outputs.image);
  core.setOutput('digest', outputs.digest);
  core.setOutput('tags', outputs.references.join('\n'));
  core.setOutput('built', String(outputs.built));
}
