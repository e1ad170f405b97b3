/** Amazon ECR on the wire: awsJson1_1 under the target prefix of its 2015-09-21 API. */
import type { JsonService } from '../http/protocol';
import { ecrOperations } from './operations';

export const ecrService: JsonService = {
  service: 'ecr',
  iamPrefix: 'ecr',
  protocol: 'awsJson',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  serverError: 'ServerException',
  operations: ecrOperations,
};
