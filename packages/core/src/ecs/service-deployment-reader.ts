import { DescribeServiceDeploymentsCommand, type ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { isAccessDenied } from '../common/errors';
import type { Logger } from '../common/logger';

/** What a read of the service deployment gave: the deployment, or "unavailable" when ECS will not tell us. */
export type ServiceDeploymentRead = ServiceDeployment | 'unavailable';

// Errors that will not go away on the next poll: a role without ecs:DescribeServiceDeployments, a Region or
// endpoint without the service deployments API (October 2024), or an ARN ECS refuses.
const LASTING = new Set([
  'AccessDeniedException',
  'UnsupportedFeatureException',
  'InvalidParameterException',
  'UnknownOperationException',
  'ClientException',
]);

/**
 * Reads one service deployment (DescribeServiceDeployments) for the watcher. A lasting refusal is said once and
 * remembered: the watcher then decides from DescribeServices alone. A throttled or failed read answers undefined,
 * so that the poll skips a round instead of deciding on less than ECS would tell it a second later.
 */
export class ServiceDeploymentReader {
  private refused = false;

  constructor(
    private readonly ecs: ECSClient,
    private readonly log: Logger,
  ) {}

  get available(): boolean {
    return !this.refused;
  }

  async read(arn: string | undefined): Promise<ServiceDeploymentRead | undefined> {
    if (!arn || this.refused) return 'unavailable';
    let answer;
    try {
      answer = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    } catch (error) {
      const name = (error as Error).name;
      if (!LASTING.has(name)) return undefined;
      this.refused = true;
      // A missing permission is the user's to fix, so it is a warning naming it; an API the Region lacks is not.
      if (isAccessDenied(error))
        this.log.warning(
          `DescribeServiceDeployments is not available (${name}): deciding from DescribeServices alone, without naming the deployment alarm or ECS's rollback. Grant ecs:DescribeServiceDeployments to have them.`,
        );
      else this.log.info(`DescribeServiceDeployments is not available (${name}): deciding from DescribeServices alone.`);
      return 'unavailable';
    }
    // ECS keeps 90 days of service deployments and answers MISSING for others (DescribeServiceDeployments, API reference).
    return answer.serviceDeployments?.find((sd) => sd.serviceDeploymentArn === arn) ?? 'unavailable';
  }
}
