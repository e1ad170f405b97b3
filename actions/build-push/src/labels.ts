import { ConfigurationError, type Inputs, type KeyValue } from '@ecs-deploy/core/common';
import { REVISION_LABEL } from '@ecs-deploy/core/use-cases';

/**
 * `labels`: KEY=VALUE lines added to the image's labels. The revision label is build-push's own (the commit it
 * built, which the image is named by), so a line setting it is refused rather than left to disagree with the tag.
 */
export function readLabels(inputs: Inputs): KeyValue[] {
  const labels = inputs.keyValues('labels');
  if (labels.some((label) => label.name === REVISION_LABEL)) {
    throw new ConfigurationError(
      `Input 'labels' sets ${REVISION_LABEL}, which build-push sets to the commit it builds; leave it out.`,
      'labels',
    );
  }
  return labels;
}
