import { isDomainError } from '../../core/errors';

/** The error code `fn` throws (the text of anything that is not a DomainError), or undefined when it returns. */
export const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isDomainError(e) ? e.code : String(e);
  }
  return undefined;
};
