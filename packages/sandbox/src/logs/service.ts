/** CloudWatch Logs on the wire: awsJson1_1 under the target prefix of its 2014-03-28 API. */
import type { JsonService } from '../http/protocol';
import { logsOperations } from './operations';

export const logsService: JsonService = {
  service: 'logs',
  iamPrefix: 'logs',
  protocol: 'awsJson',
  targetPrefix: 'Logs_20140328',
  serverError: 'ServiceUnavailableException',
  operations: logsOperations,
};
