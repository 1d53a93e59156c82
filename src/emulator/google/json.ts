import { invalidArgument, invalidJson } from './errors.js';

/**
 * Reading JSON bodies the way Google's API front end does: a body must be an object, and a field
 * of the wrong type is refused naming its path in snake_case and its protobuf type, e.g.
 * `Invalid value at 'requests[0].insert_dimension.range.start_index' (TYPE_INT32), "x"`.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw invalidJson(`Unexpected token.\n${text.slice(0, 80)}\n(${detail})`);
  }
  if (!isObject(value)) throw invalidJson('Unknown name "": Root element must be a message.');
  return value;
}

const snake = (path: string): string => path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function wrongType(path: string, type: string, value: unknown): Error {
  return invalidArgument(`Invalid value at '${snake(path)}' (${type}), ${JSON.stringify(value)}`);
}

export function optString(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(`${path}${key}`, 'TYPE_STRING', value);
  return value;
}

/** Protobuf JSON also accepts an integer written as a string ("5"). */
export function optInt(obj: JsonObject, key: string, path: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > 2 ** 31 - 1) throw wrongType(`${path}${key}`, 'TYPE_INT32', value);
  return n;
}

export function optBool(obj: JsonObject, key: string, path: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(`${path}${key}`, 'TYPE_BOOL', value);
  return value;
}

export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw wrongType(`${path}${key}`, 'TYPE_MESSAGE', value);
  return value;
}

export function optArray(obj: JsonObject, key: string, path: string): unknown[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(`${path}${key}`, 'type.googleapis.com/google.protobuf.ListValue', value);
  return value;
}

/** An enum field: undefined when absent, else one of `allowed` (Google's error otherwise). */
export function optEnum<T extends string>(obj: JsonObject, key: string, path: string, type: string, allowed: readonly T[]): T | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidArgument(
    `Invalid value at '${snake(`${path}${key}`)}' (type.googleapis.com/google.apps.sheets.v4.${type}), ${JSON.stringify(value)}`,
  );
}

/** A boolean query parameter: `true`/`false` (and 1/0), as Google's front end reads them. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw invalidArgument(`Invalid value at '${snake(name)}' (TYPE_BOOL), "${value}"`);
}
