/**
 * The deployment target of an ECS deployment: CodeDeploy names it `<cluster name>:<service name>` (ECSTarget's
 * targetId, API reference), by names, not ARNs, whatever form the step was given.
 */
export function ecsTargetId(cluster: string, service: string): string {
  return `${lastPart(cluster)}:${lastPart(service)}`;
}

// A cluster or service ARN ends in its name: arn:aws:ecs:<region>:<account>:service/<cluster>/<service>.
const lastPart = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
