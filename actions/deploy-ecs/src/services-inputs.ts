import { ConfigurationError, type Inputs } from '@ecs-deploy/core/common';
import { SCHEDULED_TASKS_INPUT } from '@ecs-deploy/core/scheduled-tasks';

/**
 * The inputs one step cannot give each of several services: a deployment to follow is one service's; the CodeDeploy
 * inputs are one deployment group's; compare-with compares one revision; scheduled tasks and revision clean-up act on
 * one family; a GitHub Deployment records one service. Refused, with the reason, before anything talks to AWS.
 */
const ONE_SERVICE_INPUTS: ReadonlyArray<{ input: string; why: string }> = [
  { input: 'service-deployment-arn', why: "follows one service's deployment" },
  { input: 'codedeploy-deployment-id', why: "follows one service's CodeDeploy deployment" },
  { input: 'codedeploy-application', why: 'is for a CODE_DEPLOY service, and several services deploy on the ECS controller only' },
  { input: 'codedeploy-deployment-group', why: 'is for a CODE_DEPLOY service, and several services deploy on the ECS controller only' },
  { input: 'codedeploy-deployment-config', why: 'is for a CODE_DEPLOY service, and several services deploy on the ECS controller only' },
  { input: 'appspec', why: 'is for a CODE_DEPLOY service, and several services deploy on the ECS controller only' },
  { input: 'compare-with', why: "compares one service's new revision with another's" },
  { input: SCHEDULED_TASKS_INPUT, why: "moves scheduled tasks to one family's new revision" },
  { input: 'keep-revisions', why: "cleans up one family's revisions after one deploy" },
  { input: 'github-token', why: 'records one GitHub Deployment for one service' },
  { input: 'environment-name', why: 'names the GitHub Deployment of one service' },
  { input: 'environment-url', why: 'is the GitHub Deployment URL of one service' },
];

/**
 * The `service` input's names, one a line. One name (or none) is a single-service deploy, undefined here. Several
 * are checked against what a many-service deploy takes: no name twice, no task-definition (each service's live
 * revision is its base), no wait-until paused (the step would return with hooks of several services to act on), and
 * none of the one-service inputs.
 */
export function severalServices(inputs: Inputs): string[] | undefined {
  const lines = inputs.numberedLines('service');
  if (lines.length < 2) return undefined;
  const seen = new Map<string, number>();
  for (const { text, line } of lines) {
    const first = seen.get(text);
    if (first !== undefined) {
      throw new ConfigurationError(
        `Input 'service' line ${line} names ${text} again (first on line ${first}): give each service once.`,
        'service',
      );
    }
    seen.set(text, line);
  }
  const several = `Input 'service' names ${lines.length} services`;
  if (inputs.optional('task-definition') !== undefined) {
    throw new ConfigurationError(
      `${several}, and each service's live revision is its base, so 'task-definition' must be empty. Remove task-definition (the image, images, environment and secrets inputs change each service's revision), or deploy a file or revision to one service per step.`,
      'task-definition',
    );
  }
  if (inputs.optional('wait-until') === 'paused') {
    throw new ConfigurationError(
      `${several}, but wait-until paused returns with a PAUSE hook of each to act on, one gate per service: use wait-until complete or bake, or deploy one service per step to pause.`,
      'wait-until',
    );
  }
  for (const { input, why } of ONE_SERVICE_INPUTS) {
    if (inputs.optional(input) === undefined) continue;
    throw new ConfigurationError(`${several}, but '${input}' ${why}. Remove ${input}, or deploy that service in a step of its own.`, input);
  }
  return lines.map(({ text }) => text);
}
