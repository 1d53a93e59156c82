import type { z } from 'zod';
import { quote, type FieldError } from '../core/field-error.js';
import { maskUrl } from '../core/url-secrets.js';
import { ApiError } from './errors.js';

/** Fields whose values are never repeated back, even in an error message. */
const SECRET = /secret|password|token|credential|apikey|setupcode/i;

/** Describes zod's issues the Sluice way: the field, the value and what is allowed (secrets not echoed). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldError[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    let value: unknown = input;
    for (const p of issue.path)
      value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
    let problem = plainProblem(issue, value);
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `${field === '(body)' ? '' : `${field}: `}unknown field(s) ${issue.keys.map((k) => quote(k)).join(', ')}` };
    }
    if (value === undefined && issue.code === 'invalid_type') problem = 'is required';
    const hidden = issue.path.some((p) => SECRET.test(String(p)));
    let shown = value === undefined || hidden ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    // An address is repeated with its password and query masked (a CSV URL's may hold a key).
    if (shown !== undefined && /url$/i.test(String(issue.path.at(-1) ?? ''))) shown = maskUrl(shown);
    return {
      field,
      ...(shown !== undefined && { value: shown }),
      message: `${field}: ${shown !== undefined ? `${quote(shown)} ` : ''}${problem}`,
    };
  });
}

const KINDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text (a string)',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
};

/**
 * The issue's message, or, when it is one of zod's own ("Too small: expected number to be >=1"),
 * the same said the Sluice way after the value: `is less than 1, the least allowed`. Messages a
 * schema gives itself ("must not be empty") are kept as they are.
 */
function plainProblem(issue: z.core.$ZodIssue, value: unknown): string {
  if (!/^(Invalid|Too small|Too big)\b/.test(issue.message)) return issue.message;
  const size = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return `is not ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `is not allowed; use one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return `is too short; at least ${min} characters are needed`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has too few items; at least ${min} are needed`;
      return issue.inclusive === false ? `is not more than ${min}, which it must be` : `is less than ${min}, the least allowed`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `is ${size ?? 'too many'} characters long; at most ${max} are allowed`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has ${size ?? 'too many'} items; at most ${max} are allowed`;
      return issue.inclusive === false ? `is not less than ${max}, which it must be` : `is more than ${max}, the most allowed`;
    }
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

/** Parses a request body with a zod schema, or throws a 400 listing every problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = describeIssues(result.error.issues, body);
  throw new ApiError(400, errors.map((e) => e.message).join('; '), errors);
}
