/** Secrets Manager on the wire: awsJson1_1 under the target prefix `secretsmanager` (AWS Secrets Manager API reference). */
import type { JsonService } from '../http/protocol';
import { secretsManagerOperations } from './operations';

export const secretsManagerService: JsonService = {
  service: 'secretsmanager',
  iamPrefix: 'secretsmanager',
  protocol: 'awsJson',
  targetPrefix: 'secretsmanager',
  serverError: 'InternalServiceError',
  operations: secretsManagerOperations,
};
