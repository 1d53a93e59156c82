/**
 * A problem with one field of one row or one request. `message` is the whole sentence a person
 * reads, and always names the field, the value and what is allowed:
 * `amount: "12,5O" is not a number`.
 */
export interface FieldError {
  field: string;
  value?: string;
  message: string;
}

/** Quotes a value for an error message, shortened so that a huge value cannot flood a log or a UI. */
export function quote(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

export function fieldError(field: string, value: string | undefined, problem: string): FieldError {
  return { field, ...(value === undefined ? {} : { value }), message: `${field}: ${problem}` };
}

/** A field error whose sentence starts with the quoted value: `send: "yes" needs collection_method send_invoice`. */
export function valueError(field: string, value: string, problem: string): FieldError {
  return { field, value, message: `${field}: ${quote(value)} ${problem}` };
}
