import { fail, ok, type Result } from './result.js';

/**
 * A mapping template: the value of one action field, written as constants mixed with
 * `{{Source field}}` placeholders: `{{Email}}`, `{{First name}} {{Last name}}`, `usd`,
 * `Order {{Order #}}`.
 *
 * Syntax:
 * - `{{name}}` is a placeholder; the name is everything up to the next `}}`, trimmed, so
 *   `{{ Email }}` is `{{Email}}`. A name may hold spaces, `#`, dots, any unicode.
 * - `\{{` is a literal `{{`. No other escape exists: a lone `\`, `{`, `}` or `}}` is text.
 */
export interface Template {
  /** The template as the user wrote it. */
  source: string;
  /** Text and placeholders in order; adjacent text is merged into one part. */
  parts: TemplatePart[];
}

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: string };

const HINT = 'such as {{Email}}';

/** Parses a template, or says what is wrong with it and at which character (1-based). */
export function parseTemplate(source: string): Result<Template> {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      text += source[i];
      i += 1;
      continue;
    }
    const close = source.indexOf('}}', i + 2);
    const nested = source.indexOf('{{', i + 2);
    if (nested !== -1 && (close === -1 || nested < close)) {
      return fail(
        `a {{ at character ${nested + 1} is inside the placeholder opened at character ${i + 1}; ` +
          `a placeholder holds one field name, ${HINT} (write \\{{ for a literal {{)`,
      );
    }
    if (close === -1) {
      return fail(`the {{ at character ${i + 1} is never closed; end the field name with }}, ${HINT} (write \\{{ for a literal {{)`);
    }
    const name = source.slice(i + 2, close).trim();
    if (name === '') {
      return fail(`the placeholder ${source.slice(i, close + 2)} at character ${i + 1} is empty; put a source field name inside, ${HINT}`);
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'field', name });
    i = close + 2;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return ok({ source, parts });
}

/** The source field names a template reads, each once, in order of first use. */
export function templateFields(t: Template): string[] {
  const names: string[] = [];
  for (const part of t.parts) {
    if (part.kind === 'field' && !names.includes(part.name)) names.push(part.name);
  }
  return names;
}

/** True when the template has no placeholders: the same value for every row (`usd`). */
export function isConstant(t: Template): boolean {
  return t.parts.every((part) => part.kind === 'text');
}

/**
 * Fills a template from one row's fields. A placeholder whose field the row does not have at all
 * is `missing` (the mapping names a column that is not there: a configuration problem, reported
 * with every missing name at once); a field the row has but left empty renders as "".
 */
export function renderTemplate(
  t: Template,
  fields: Record<string, string>,
): { ok: true; value: string } | { ok: false; missing: string[] } {
  let value = '';
  const missing: string[] = [];
  for (const part of t.parts) {
    if (part.kind === 'text') {
      value += part.text;
      continue;
    }
    const found = findField(fields, part.name);
    if (found === undefined) {
      if (!missing.includes(part.name)) missing.push(part.name);
    } else {
      value += found;
    }
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value };
}

/**
 * Looks up a field by name: the exact name first; failing that, the name compared without regard
 * to case, surrounding spaces, runs of spaces or Unicode composition. Why the fallback: the same
 * column is often spelled differently in different exports of one sheet ("E-mail ", "e-mail",
 * "First  name"), and a mapping built from one file should keep working on the next. When several
 * fields match only loosely, the first one in the row's order wins; an exact match always wins.
 */
export function findField(fields: Record<string, string>, name: string): string | undefined {
  if (Object.hasOwn(fields, name)) return fields[name];
  const wanted = looseName(name);
  for (const [key, value] of Object.entries(fields)) {
    if (looseName(key) === wanted) return value;
  }
  return undefined;
}

/** The form two field names are compared in when they do not match exactly. */
export function looseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
