/** EventBridge on the wire: awsJson1_1 under the target prefix `AWSEvents`, as @aws-sdk/client-eventbridge sends it. */
import type { JsonService } from '../http/protocol';
import { eventBridgeOperations } from './operations';

export const eventBridgeService: JsonService = {
  service: 'events',
  iamPrefix: 'events',
  protocol: 'awsJson',
  targetPrefix: 'AWSEvents',
  serverError: 'InternalException',
  operations: eventBridgeOperations,
};
