/** IAM on the wire: awsQuery, version 2010-05-08, answered in its XML namespace (IAM API reference). */
import type { QueryService } from '../http/protocol';
import { iamOperations } from './operations';

export const iamService: QueryService = {
  service: 'iam',
  iamPrefix: 'iam',
  protocol: 'awsQuery',
  version: '2010-05-08',
  namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  operations: iamOperations,
};
