/** SSM Parameter Store on the wire: awsJson1_1 under the target prefix `AmazonSSM` (AWS Systems Manager API reference). */
import type { JsonService } from '../http/protocol';
import { ssmOperations } from './operations';

export const ssmService: JsonService = {
  service: 'ssm',
  iamPrefix: 'ssm',
  protocol: 'awsJson',
  targetPrefix: 'AmazonSSM',
  serverError: 'InternalServerError',
  operations: ssmOperations,
};
