/** CloudWatch's errors, in its awsQueryCompatible shape. */
import { AwsError } from '../errors';

/**
 * CloudWatch speaks awsJson1_0 with the awsQueryCompatible trait: the JSON `__type` names the error shape
 * and the `x-amzn-query-error` header carries the code an awsQuery client would have seen.
 */
export function cloudWatchError(shape: string, queryCode: string, message: string, status = 400): AwsError {
  const error = new AwsError(`com.amazonaws.cloudwatch#${shape}`, message, status);
  error.queryCode = queryCode;
  return error;
}

export const missing = (name: string) =>
  cloudWatchError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`);
export const invalid = (message: string) => cloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);
export const invalidCombination = (message: string) =>
  cloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', message);
export const invalidFormat = (message: string) => cloudWatchError('InvalidFormatFault', 'InvalidFormat', message);
export const resourceNotFound = (message: string) => cloudWatchError('ResourceNotFound', 'ResourceNotFound', message, 404);
