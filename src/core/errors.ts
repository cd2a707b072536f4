import { randomBytes } from 'node:crypto';

/**
 * Something the user can fix. Its message is shown verbatim, so it must say what
 * was wrong and what to do instead.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly code: string = 'user_error',
  ) {
    super(message);
  }
}

/** A stable, short reference shown to the user and logged with the details. */
export function errorRef(): string {
  return randomBytes(4).toString('hex');
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
