import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { parse } from 'yaml';

/**
 * The task definition an ECS deployment's revision deploys: its AppSpec's first TargetService TaskDefinition
 * (AppSpec "resources" section for Amazon ECS deployments, user guide). The content is JSON or YAML, given as
 * AppSpecContent or, in older deployments, as a String revision; an S3 revision's content is not read here.
 * Undefined when the revision says no task definition that can be read.
 */
export function revisionTaskDefinition(revision: RevisionLocation | undefined): string | undefined {
  const content = revision?.appSpecContent?.content ?? revision?.string?.content;
  if (!content) return undefined;
  let spec: unknown;
  try {
    // YAML 1.2 reads JSON as well.
    spec = parse(content);
  } catch {
    return undefined;
  }
  const resources = (spec as { Resources?: unknown } | null)?.Resources;
  if (!Array.isArray(resources)) return undefined;
  for (const resource of resources as Array<Record<string, { Properties?: { TaskDefinition?: unknown } }>>) {
    const taskDefinition = resource?.TargetService?.Properties?.TaskDefinition;
    if (typeof taskDefinition === 'string' && taskDefinition.length > 0) return taskDefinition;
  }
  return undefined;
}
