import type { FieldError } from '../core/field-error.js';

/** An error for the API caller: an HTTP status, a sentence, and the field problems when there are some. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}
