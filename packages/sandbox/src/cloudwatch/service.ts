/** CloudWatch on the wire: awsJson1_0 with the awsQueryCompatible trait (what @aws-sdk/client-cloudwatch sends). */
import type { JsonService } from '../http/protocol';
import { cloudWatchOperations } from './operations';

export const cloudWatchService: JsonService = {
  service: 'cloudwatch',
  iamPrefix: 'cloudwatch',
  protocol: 'awsJson',
  targetPrefix: 'GraniteServiceVersion20100801',
  serverError: 'com.amazonaws.cloudwatch#InternalServiceFault',
  contentType: 'application/x-amz-json-1.0',
  queryCodes: { throttle: 'Throttling', serverError: 'InternalServiceError' },
  operations: cloudWatchOperations,
};
