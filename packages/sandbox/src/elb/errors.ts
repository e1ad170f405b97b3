/** ELBv2's errors, with the codes the SDK maps to its exception classes and the messages ELBv2 writes. */
import { AwsError } from '../errors';

export const validation = (message: string) => new AwsError('ValidationError', message);
/** What ELBv2 answers a required member left out, named as its API model spells it (lower camel case). */
export const notNull = (member: string) =>
  validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
export const targetGroupNotFound = () => new AwsError('TargetGroupNotFound', 'One or more target groups not found');
export const loadBalancerNotFound = () => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
export const listenerNotFound = () => new AwsError('ListenerNotFound', 'One or more listeners not found');
export const ruleNotFound = () => new AwsError('RuleNotFound', 'One or more rules not found');
export const duplicateTargetGroupName = (name: string) =>
  new AwsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
export const duplicateListener = () => new AwsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
export const priorityInUse = (priority: number) => new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
export const resourceInUse = (arn: string) =>
  new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
export const invalidTarget = (id: string) => new AwsError('InvalidTarget', `The IP address '${id}' is not a valid IPv4 address`);
export const operationNotPermitted = (message: string) => new AwsError('OperationNotPermitted', message);
