/**
 * AWS CodeDeploy on the wire: awsJson1_1 under the target prefix of its 2014-10-06 API, signing name and IAM
 * prefix `codedeploy`. Its model has no server exception of its own: a server error is answered as
 * InternalFailure, the generic one (*unconfirmed*).
 */
import type { Handler, JsonService } from '../http/protocol';
import { codeDeployOperations } from './operations';

export const codeDeployService: JsonService = {
  service: 'codedeploy',
  iamPrefix: 'codedeploy',
  protocol: 'awsJson',
  targetPrefix: 'CodeDeploy_20141006',
  serverError: 'InternalFailure',
  operations: codeDeployOperations as Record<string, Handler>,
};
