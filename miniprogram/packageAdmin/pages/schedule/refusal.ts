import { ClientErrorCodes, ServiceError } from '../../../services/cloud';
import { errorText } from '../../../utils/view-state';
import { fill } from '../../utils';

/**
 * A refused staff action as one clear line: the server's message and its stable code (staff quote
 * the code to support), or the friendly network line. `template` has {message} and {code}.
 */
export function refusalText(err: unknown, template: string): string {
  const network = !(err instanceof ServiceError) || err.code === ClientErrorCodes.NETWORK || err.code === ClientErrorCodes.CALL_FAILED;
  return network ? errorText(err) : fill(template, { message: err.message, code: err.code });
}
