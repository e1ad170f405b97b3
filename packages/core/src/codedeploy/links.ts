/** A CodeDeploy deployment in the console (CodeDeploy's deployment detail page), for summaries and failures. */
export function codeDeployDeploymentLink(region: string, deploymentId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}`;
}
