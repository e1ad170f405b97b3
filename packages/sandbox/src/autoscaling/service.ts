/**
 * Application Auto Scaling on the wire: awsJson1_1 under the target prefix `AnyScaleFrontendService`, as
 * @aws-sdk/client-application-auto-scaling sends it (its protocol settings' serviceTarget), signing name
 * `application-autoscaling`, the prefix of its IAM actions.
 */
import type { JsonService } from '../http/protocol';
import { autoScalingOperations } from './operations';

export const autoScalingService: JsonService = {
  service: 'application-autoscaling',
  iamPrefix: 'application-autoscaling',
  protocol: 'awsJson',
  targetPrefix: 'AnyScaleFrontendService',
  serverError: 'InternalServiceException',
  operations: autoScalingOperations,
};
