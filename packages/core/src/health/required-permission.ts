import { ActionFailure, errorMessage, isAccessDenied } from '../common/errors';

/**
 * A read verify-health cannot judge without: a refusal for want of a permission fails the step naming the grant and
 * what the read is for, since a signal left unread could let a broken service pass. Other errors go on as they are.
 */
export async function withRequiredPermission<T>(permission: string, purpose: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    throw new ActionFailure(
      `${permission} was refused (${(error as Error).name}: ${errorMessage(error)}): verify-health ${purpose}. Grant the role ${permission}.`,
    );
  }
}
