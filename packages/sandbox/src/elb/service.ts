/** Elastic Load Balancing v2 on the wire: awsQuery, version 2015-12-01, answered in its XML namespace. */
import type { QueryService } from '../http/protocol';
import { elbOperations } from './operations';

export const elbService: QueryService = {
  service: 'elbv2',
  iamPrefix: 'elasticloadbalancing',
  protocol: 'awsQuery',
  version: '2015-12-01',
  namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  operations: elbOperations,
};
