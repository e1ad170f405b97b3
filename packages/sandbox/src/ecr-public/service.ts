/**
 * Amazon ECR Public on the wire: awsJson1_1 under the target prefix SpencerFrontendService, signed as ecr-public
 * (the SDK's @aws-sdk/client-ecr-public). Its API is in us-east-1 only (ECR Public user guide: the CLI's
 * `aws ecr-public get-login-password --region us-east-1`; the SDK has no endpoint for it elsewhere).
 */
import type { JsonService } from '../http/protocol';
import { ecrPublicOperations } from './operations';

export const ecrPublicService: JsonService = {
  service: 'ecr-public',
  iamPrefix: 'ecr-public',
  protocol: 'awsJson',
  targetPrefix: 'SpencerFrontendService',
  serverError: 'ServerException',
  onlyRegion: 'us-east-1',
  operations: ecrPublicOperations,
};
