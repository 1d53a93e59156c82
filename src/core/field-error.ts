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

/**
 * Quotes a value for an error message, shortened so that a huge value cannot flood a log or a UI.
 * Characters that would hide or reorder the message itself are written as escapes: JSON already
 * escapes control characters and lone surrogates, and bidirectional controls, other invisible
 * characters and line separators are escaped here (a U+202E in a value must not reverse the
 * message that reports it).
 */
export function quote(value: string, max = 80): string {
  // Cut before a surrogate pair rather than through it.
  const end = max > 0 && /[\ud800-\udbff]/.test(value[max - 1] ?? '') ? max - 1 : max;
  const shown = value.length > max ? `${value.slice(0, end)}…` : value;
  return JSON.stringify(shown).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const INVISIBLE = /[\u007f-\u009f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function fieldError(field: string, value: string | undefined, problem: string): FieldError {
  return { field, ...(value === undefined ? {} : { value }), message: `${field}: ${problem}` };
}

/** A field error whose sentence starts with the quoted value: `send: "yes" needs collection_method send_invoice`. */
export function valueError(field: string, value: string, problem: string): FieldError {
  return { field, value, message: `${field}: ${quote(value)} ${problem}` };
}
