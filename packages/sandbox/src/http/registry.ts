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
import { ecrPublicService } from '../ecr-public/service';
import { ecsService } from '../ecs/service';
import { eventBridgeService } from '../events/service';
import { schedulerService } from '../schedules/service';
import { elbService } from '../elb/service';
import { logsService } from '../logs/service';
import { secretsManagerService } from '../secretsmanager/service';
import { ssmService } from '../ssm/service';
import { iamService } from '../iam/service';
import type { ServiceRegistration, WireProtocol } from './protocol';
import { awsJson } from './protocols/aws-json';
import { awsQuery } from './protocols/aws-query';
import { restJson } from './protocols/rest-json';

export const SERVICES: ServiceRegistration[] = [
  ecsService,
  logsService,
  cloudWatchService,
  ecrService,
  ecrPublicService,
  elbService,
  codeDeployService,
  ssmService,
  secretsManagerService,
  iamService,
  eventBridgeService,
  schedulerService,
  autoScalingService,
];

/**
 * ELBv2 and IAM speak awsQuery: a request for a version nobody serves is answered in ELBv2's namespace. EventBridge
 * Scheduler is the one restJson service: a request without X-Amz-Target to one of its paths is its own.
 */
const PROTOCOLS = [awsQuery(elbService), restJson([schedulerService]), awsJson] as WireProtocol[];

export function protocolOf(req: IncomingMessage, body: string): WireProtocol {
  return PROTOCOLS.find((protocol) => protocol.recognizes(req, body)) as WireProtocol;
}

export function serviceFor(protocol: WireProtocol, key: string | undefined): ServiceRegistration | undefined {
  if (key === undefined) return undefined;
  return SERVICES.find((service) => service.protocol === protocol.name && protocol.key(service) === key);
}
