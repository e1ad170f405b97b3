/** ECS's exceptions, with the messages ECS writes. */
import { AwsError } from '../errors';

export const clientException = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const clusterNotFound = () => new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
export const clusterContainsServices = () =>
  new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
export const clusterContainsTasks = () =>
  new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
