/** Amazon ECS on the wire: awsJson1_1 under the target prefix of its 2014-11-13 API. */
import type { JsonService } from '../http/protocol';
import { ecsOperations } from './operations';

export const ecsService: JsonService = {
  service: 'ecs',
  iamPrefix: 'ecs',
  protocol: 'awsJson',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  serverError: 'ServerException',
  operations: ecsOperations,
};
