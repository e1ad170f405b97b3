import { consoleBase } from '../common/partitions';

/**
 * A CodeDeploy deployment in the console (CodeDeploy's deployment detail page), for summaries and failures;
 * undefined in a partition whose console the suite does not know (consoleBase).
 */
export function codeDeployDeploymentLink(region: string, deploymentId: string): string | undefined {
  const base = consoleBase(region);
  return base && `${base}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}`;
}
