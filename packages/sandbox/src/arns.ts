import { partition } from '@aws-sdk/core/client';

/**
 * The partition of a region, as every ARN in it starts (`arn:aws-cn:` in the China regions), from the SDK's own
 * partition data (the endpoints ruleset's partitions), as AWS's answers carry it.
 */
export function partitionOfRegion(region: string): string {
  return (partition(region) as { name?: string }).name ?? 'aws';
}

/** The DNS suffix of the region's endpoints and hosts (amazonaws.com, amazonaws.com.cn, amazonaws.eu...). */
export function dnsSuffixOfRegion(region: string): string {
  return (partition(region) as { dnsSuffix?: string }).dnsSuffix ?? 'amazonaws.com';
}

/** ARN formats of the resources the sandbox serves (the "long" ARN format, which includes the cluster). */
export class Arns {
  /** aws, aws-cn, aws-us-gov, aws-eusc...: the region's. */
  readonly partition: string;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {
    this.partition = partitionOfRegion(region);
  }

  private base(service: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}`;
  }

  cluster(name: string): string {
    return `${this.base('ecs')}:cluster/${name}`;
  }
  taskDefinition(family: string, revision: number): string {
    return `${this.base('ecs')}:task-definition/${family}:${revision}`;
  }
  service(cluster: string, name: string): string {
    return `${this.base('ecs')}:service/${cluster}/${name}`;
  }
  task(cluster: string, id: string): string {
    return `${this.base('ecs')}:task/${cluster}/${id}`;
  }
  container(cluster: string, taskId: string, id: string): string {
    return `${this.base('ecs')}:container/${cluster}/${taskId}/${id}`;
  }
  serviceDeployment(cluster: string, service: string, id: string): string {
    return `${this.base('ecs')}:service-deployment/${cluster}/${service}/${id}`;
  }
  serviceRevision(cluster: string, service: string, id: string): string {
    return `${this.base('ecs')}:service-revision/${cluster}/${service}/${id}`;
  }
  taskSet(cluster: string, service: string, id: string): string {
    return `${this.base('ecs')}:task-set/${cluster}/${service}/${id}`;
  }
  codeDeployApplication(name: string): string {
    return `${this.base('codedeploy')}:application:${name}`;
  }
  codeDeployDeploymentGroup(application: string, group: string): string {
    return `${this.base('codedeploy')}:deploymentgroup:${application}/${group}`;
  }
  principal(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
  targetGroup(name: string, id: string): string {
    return `${this.base('elasticloadbalancing')}:targetgroup/${name}/${id}`;
  }
  loadBalancer(name: string, id: string): string {
    return `${this.base('elasticloadbalancing')}:loadbalancer/app/${name}/${id}`;
  }
  alarm(name: string): string {
    return `${this.base('cloudwatch')}:alarm:${name}`;
  }
  logGroup(name: string): string {
    return `${this.base('logs')}:log-group:${name}`;
  }
  logStream(group: string, stream: string): string {
    return `${this.base('logs')}:log-group:${group}:log-stream:${stream}`;
  }
}

/** The last `/`-separated part of an ARN, or the value itself when it is a plain name. */
export function lastPart(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

/** The resource name of a cluster given by name or ARN. */
export function clusterName(value: string | undefined): string {
  if (!value) return 'default';
  return value.startsWith('arn:') ? value.slice(value.indexOf(':cluster/') + ':cluster/'.length) : value;
}
