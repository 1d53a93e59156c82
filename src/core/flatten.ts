import { quote } from './field-error.js';
import { fail, ok, type Result } from './result.js';

export interface FlattenOptions {
  /** How many names a flat field name may join, `a.b.c` being 3. (Default: 8) */
  maxDepth?: number;
  /** How many fields one body may produce. (Default: 500) */
  maxFields?: number;
  /** How many characters one field's value may have. (Default: 10000) */
  maxValueLength?: number;
}

/**
 * Turns a parsed JSON or form body into flat source fields, so that a webhook row looks like a
 * CSV row and the same templates read both:
 * - nested objects join names with dots: `{customer: {email}}` → `customer.email`;
 * - arrays use the index: `items.0.sku`; repeated form keys (which a form parser gives as an
 *   array) become `a.0`, `a.1`;
 * - numbers and booleans become their JSON text (`12.5`, `true`), null becomes "";
 * - an empty object or array becomes "" under its own name, so a template naming it finds the
 *   field (present but empty) rather than reporting it missing;
 * - names are used as given, only trimmed of surrounding whitespace.
 *
 * The limits keep one request from filling the ledger; going over one is an error that names the
 * limit and the path, as is a body that is not an object, an empty name, or two names that become
 * one after trimming and joining (`{"a.b": 1, "a": {"b": 2}}`).
 */
export function flattenFields(value: unknown, opts: FlattenOptions = {}): Result<Record<string, string>> {
  const limits = {
    maxDepth: opts.maxDepth ?? 8,
    maxFields: opts.maxFields ?? 500,
    maxValueLength: opts.maxValueLength ?? 10_000,
  };
  if (!isRecord(value)) return fail(`the body must be a JSON object of fields, got ${describe(value)}`);

  const out = new Map<string, string>();
  const put = (path: string, text: string): string | undefined => {
    if (out.has(path)) return `two fields are both named ${quote(path)} once flattened; rename one of them`;
    if (text.length > limits.maxValueLength) {
      return `the value of ${quote(path)} has ${text.length} characters (${quote(text, 40)}); the limit is ${limits.maxValueLength}`;
    }
    if (out.size >= limits.maxFields) {
      return `the body has more than ${limits.maxFields} fields (the limit); ${quote(path)} is one too many`;
    }
    out.set(path, text);
    return undefined;
  };

  const walk = (node: unknown, path: string, depth: number): string | undefined => {
    const children = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : isRecord(node) ? Object.entries(node) : undefined;
    if (children === undefined) {
      const text = scalarText(node);
      return text === undefined ? `the value of ${quote(path)} is ${describe(node)}, which is not a field value` : put(path, text);
    }
    if (children.length === 0) return path === '' ? undefined : put(path, '');
    if (depth + 1 > limits.maxDepth) {
      return `${quote(path)} is nested deeper than ${limits.maxDepth} levels (the limit)`;
    }
    for (const [rawKey, child] of children) {
      const key = rawKey.trim();
      if (key === '') return path === '' ? 'a field has an empty name' : `a field inside ${quote(path)} has an empty name`;
      const problem = walk(child, path === '' ? key : `${path}.${key}`, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

  const problem = walk(value, '', 0);
  return problem === undefined ? ok(Object.fromEntries(out)) : fail(problem);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return undefined;
    default:
      return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}
