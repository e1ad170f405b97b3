/**
 * The one table of emulated services. The server asks each wire protocol in turn whether a request is in
 * its shape (awsQuery first: JSON is the fallback), then finds the service by the key that protocol reads
 * (X-Amz-Target prefix, awsQuery Version). A new service is a line here and a `<service>/service.ts`.
 */
import type { IncomingMessage } from 'node:http';
import { autoScalingService } from '../autoscaling/service';
import { cloudWatchService } from '../cloudwatch/service';
import { codeDeployService } from '../codedeploy/service';
import { ecrService } from '../ecr/service';
import { ecsService } from '../ecs/service';
import { elbService } from '../elb/service';
import { logsService } from '../logs/service';
import { secretsManagerService } from '../secretsmanager/service';
import { ssmService } from '../ssm/service';
import type { ServiceRegistration, WireProtocol } from './protocol';
import { awsJson } from './protocols/aws-json';
import { awsQuery } from './protocols/aws-query';

export const SERVICES: ServiceRegistration[] = [
  ecsService,
  logsService,
  cloudWatchService,
  ecrService,
  elbService,
  codeDeployService,
  ssmService,
  secretsManagerService,
  autoScalingService,
];

/** ELBv2 is the one awsQuery service: a request for a version nobody serves is answered in its namespace. */
const PROTOCOLS = [awsQuery(elbService), awsJson] as WireProtocol[];

export function protocolOf(req: IncomingMessage, body: string): WireProtocol {
  return PROTOCOLS.find((protocol) => protocol.recognizes(req, body)) as WireProtocol;
}

export function serviceFor(protocol: WireProtocol, key: string | undefined): ServiceRegistration | undefined {
  if (key === undefined) return undefined;
  return SERVICES.find((service) => service.protocol === protocol.name && protocol.key(service) === key);
}
