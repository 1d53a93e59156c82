import type { z } from 'zod';
import { quote, type FieldError } from '../core/field-error.js';
import { ApiError } from './errors.js';

/** Fields whose values are never repeated back, even in an error message. */
const SECRET = /secret|password|token|credential|apikey/i;

/** Describes zod's issues the Sluice way: the field, the value and what is allowed (secrets not echoed). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldError[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    let value: unknown = input;
    for (const p of issue.path)
      value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
    let problem = issue.message;
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `${field === '(body)' ? '' : `${field}: `}unknown field(s) ${issue.keys.map((k) => quote(k)).join(', ')}` };
    }
    if (value === undefined && issue.code === 'invalid_type') problem = 'is required';
    const hidden = issue.path.some((p) => SECRET.test(String(p)));
    const shown = value === undefined || hidden ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    return {
      field,
      ...(shown !== undefined && { value: shown }),
      message: `${field}: ${shown !== undefined ? `${quote(shown)} ` : ''}${problem}`,
    };
  });
}

/** Parses a request body with a zod schema, or throws a 400 listing every problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = describeIssues(result.error.issues, body);
  throw new ApiError(400, errors.map((e) => e.message).join('; '), errors);
}
