import { isUtf8 } from 'node:buffer';
import { quote } from '../core/field-error.js';
import { fail, ok, type Result } from '../core/result.js';

/**
 * Request bodies read strictly, so that what Sluice records is exactly what was sent: Fastify's
 * own parsers decode bytes that are not UTF-8 as U+FFFD and go on, which would put a damaged value
 * in the ledger and then in Stripe. Here such a body is refused with the place it goes wrong.
 */

/** How deep a JSON body may nest. No API body needs more than a few levels; a webhook row is cut at 8 (core/flatten.ts). */
export const MAX_JSON_DEPTH = 64;

/** The body as text, or why it is not UTF-8: the offset of the first bad byte, and what comes before it. */
export function decodeUtf8(bytes: Buffer): Result<string> {
  if (isUtf8(bytes)) return ok(bytes.toString('utf8'));
  const at = firstInvalidByte(bytes);
  const before = bytes.subarray(Math.max(0, at - 24), at).toString('utf8');
  const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return fail(
    `the body is not UTF-8 text: byte ${at + 1} (0x${byte}${before === '' ? '' : `, after ${quote(before)}`}) is not part of a UTF-8 character; send the body encoded as UTF-8`,
  );
}

/**
 * A JSON body: UTF-8, nested at most MAX_JSON_DEPTH levels (a deeper one would cost a recursion
 * per level in every reader after this one), and without a `__proto__` field or a `constructor`
 * holding a `prototype`, which could alter objects of the program if merged into one.
 */
export function readJson(bytes: Buffer): Result<unknown> {
  const text = decodeUtf8(bytes);
  if (!text.ok) return text;
  const depth = nestingDepth(text.value);
  if (depth > MAX_JSON_DEPTH) {
    return fail(`the body is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} levels are accepted`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (error) {
    return fail(`the body is not valid JSON: ${(error as Error).message}`);
  }
  const poisoned = /__proto__|constructor/.test(text.value) ? poisonedPath(value) : undefined;
  if (poisoned !== undefined) {
    return fail(`the body has a field named ${quote(poisoned.name)} (at ${quote(poisoned.path)}), which is not accepted; rename the field`);
  }
  return ok(value);
}

/**
 * An HTML form's body (`application/x-www-form-urlencoded`): `name=value` pairs joined by `&`,
 * `+` for a space, `%XX` for a byte of UTF-8. A name given twice gives a list of its values, as
 * a form with several checkboxes of one name sends. A `%` escape that is not UTF-8 is refused.
 */
export function readForm(bytes: Buffer): Result<Record<string, string | string[]>> {
  const text = decodeUtf8(bytes);
  if (!text.ok) return text;
  // No prototype: a field named __proto__ is a field like any other.
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const pair of text.value.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const name = decodeComponent(rawName);
    if (name === undefined)
      return fail(`the form field name ${quote(rawName)} has a %-escape that is not UTF-8; send the form encoded as UTF-8`);
    const value = decodeComponent(rawValue);
    if (value === undefined) {
      return fail(
        `${name}: ${quote(rawValue)} has a %-escape that is not UTF-8 (or a % that starts no escape); send the form encoded as UTF-8`,
      );
    }
    const previous = fields[name];
    fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return ok(fields);
}

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The deepest nesting of `[` and `{` outside strings, without parsing. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** The first `__proto__` field, or `constructor` field holding a `prototype`, with its dotted path. */
function poisonedPath(value: unknown): { name: string; path: string } | undefined {
  const stack: [unknown, string][] = [[value, '']];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, path] = next;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return { name: key, path: at };
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return { name: key, path: at };
      }
      stack.push([child, at]);
    }
  }
  return undefined;
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 character. */
function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1 && !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}
