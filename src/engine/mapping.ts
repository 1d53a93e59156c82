import { fieldError, quote, valueError, type FieldError } from '../core/field-error.js';
import { isConstant, looseName, parseTemplate, renderTemplate, type Template } from '../core/template.js';
import type { StripeAction } from '../receivers/stripe/action.js';
import { findAction } from '../receivers/stripe/actions/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import { MAX_USER_METADATA_KEYS, type Fields } from '../receivers/stripe/field-kit.js';
import { fieldFor, joinErrors, validateInput } from '../receivers/stripe/validate-input.js';

/** A connection's mapping with every template parsed: action field → template. */
export type ParsedMapping = ReadonlyMap<string, Template>;

/**
 * Checks a mapping when it is saved: every key is a field of the action (a near miss such as
 * `emial` gets a suggestion), every template parses, every required field without a default is
 * mapped, `metadata.<key>` names are keys Stripe takes and there are not more of them than it takes,
 * and constants are valid values (a currency of "dollars" is refused now, not on every row later).
 * All problems are listed, not only the first.
 */
export function checkMapping(
  action: StripeAction<Fields>,
  mapping: Readonly<Record<string, unknown>>,
): { ok: true; mapping: ParsedMapping } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const parsed = new Map<string, Template>();
  for (const [key, source] of Object.entries(mapping)) {
    if (typeof source !== 'string') {
      errors.push(
        valueError(`mapping.${key}`, JSON.stringify(source) ?? 'undefined', 'must be a template string such as "{{Email}}" or a constant'),
      );
      continue;
    }
    const target = fieldFor(action.fields, key);
    if (!target) {
      const known = Object.values(action.fields).map((f) => f.spec.key);
      const near = closest(key, known);
      errors.push(
        fieldError(
          `mapping.${key}`,
          undefined,
          `is not a field of ${action.key}${near ? ` (did you mean ${near}?)` : ''}; fields are: ${known.join(', ')}`,
        ),
      );
      continue;
    }
    // A wildcard entry's name is fixed by the mapping, so a bad one is refused now, not on every row.
    const name = target.entry !== undefined ? target.field.entry?.(target.entry, '') : undefined;
    if (name && !name.ok) {
      errors.push(fieldError(`mapping.${key}`, source, name.error));
      continue;
    }
    const template = parseTemplate(source);
    if (!template.ok) {
      errors.push(fieldError(`mapping.${key}`, source, template.error));
      continue;
    }
    parsed.set(key, template.value);
  }
  const metadataKeys = [...parsed.keys()].filter((k) => fieldFor(action.fields, k)?.entry !== undefined).length;
  if (metadataKeys > MAX_USER_METADATA_KEYS) {
    errors.push(
      fieldError(
        'mapping.metadata',
        undefined,
        `has ${metadataKeys} metadata.<key> entries; at most ${MAX_USER_METADATA_KEYS} are allowed (Stripe takes 50 keys, and Sluice keeps one for itself)`,
      ),
    );
  }
  for (const [name, field] of Object.entries(action.fields)) {
    if (field.required && field.spec.default === undefined && !parsed.has(name)) {
      errors.push(fieldError(`mapping.${name}`, undefined, `is required by ${action.key} (${field.spec.label}: ${field.spec.help})`));
    }
  }
  for (const [name, field] of Object.entries(action.fields)) {
    const currencyKey = field.spec.currencyKey;
    if (currencyKey && parsed.has(name) && !parsed.has(currencyKey) && action.fields[currencyKey]?.spec.default === undefined) {
      errors.push(
        fieldError(
          `mapping.${currencyKey}`,
          undefined,
          `is required with ${name}: an amount is converted with its currency; map it to a column or a constant such as usd`,
        ),
      );
    }
  }
  // Constants are checked by validating a row made only of them; problems of mapped fields wait for rows.
  const constants = Object.fromEntries([...parsed].filter(([, t]) => isConstant(t)).map(([k, t]) => [k, t.source]));
  const result = validateInput(action.fields, constants);
  if (!result.ok) {
    for (const e of result.errors) {
      const field = `mapping.${e.field}`;
      if (e.field in constants && !errors.some((x) => x.field === field)) errors.push({ ...e, field, message: `mapping.${e.message}` });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, mapping: parsed };
}

export type MappedRow<I> =
  { ok: true; values: Record<string, string>; input: I } | { ok: false; values: Record<string, string>; errors: FieldError[] };

/**
 * Maps one row's source fields through the templates and validates the result as the action's
 * input. A placeholder naming a field the row does not have fails the row — a column name typed
 * wrong must not silently send empty values — unless `missingAsEmpty`: a web form leaves out the
 * fields it has no value for (an unchecked checkbox), so for push sources a missing field is empty.
 */
export function mapRow(
  action: StripeAction<Fields>,
  mapping: ParsedMapping,
  fields: Readonly<Record<string, string>>,
  o: { missingAsEmpty?: boolean } = {},
): MappedRow<Record<string, unknown>> {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [key, template] of mapping) {
    let rendered = renderTemplate(template, fields);
    const nested = rendered.ok ? undefined : nestedField(fields, rendered.missing);
    if (nested) {
      errors.push(
        fieldError(
          key,
          undefined,
          `the template ${quote(template.source)} uses ${quote(nested.name)}, which is an object or a list in this row (${nested.children}), not text; map one of its fields, such as {{${nested.first}}}`,
        ),
      );
      continue;
    }
    if (!rendered.ok && o.missingAsEmpty) {
      rendered = renderTemplate(template, { ...fields, ...Object.fromEntries(rendered.missing.map((m) => [m, ''])) });
    }
    if (rendered.ok) {
      values[key] = rendered.value;
      continue;
    }
    const names = Object.keys(fields);
    const list = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
    errors.push(
      fieldError(
        key,
        undefined,
        `the template ${quote(template.source)} uses ${rendered.missing.map((m) => quote(m)).join(', ')}, which this row does not have; fields are: ${list}`,
      ),
    );
  }
  const validated = validateInput(action.fields, values);
  if (!validated.ok) errors.push(...validated.errors.filter((e) => !errors.some((x) => x.field === e.field)));
  else if (errors.length === 0) {
    const crossField = action.check?.(validated.input) ?? [];
    if (crossField.length === 0) return { ok: true, values, input: validated.input };
    errors.push(...crossField);
  }
  return { ok: false, values, errors };
}

/**
 * The first of `names` that the row does not have as a field but has fields under (`customer.email`
 * under `customer`): a posted JSON object or list where the template expects text. Flattened rows
 * name nested values with dots (core/flatten.ts).
 */
function nestedField(fields: Readonly<Record<string, string>>, names: readonly string[]) {
  for (const name of names) {
    const prefix = `${looseName(name)}.`;
    const under = Object.keys(fields).filter((k) => looseName(k).startsWith(prefix));
    const first = under[0];
    if (first === undefined) continue;
    const children = under.length > 5 ? `${under.slice(0, 5).join(', ')}, …` : under.join(', ');
    return { name, first, children: `it has ${children}` };
  }
  return undefined;
}

/** The candidate nearest to `name` when it is a likely typo of it (at most 2 edits away), else undefined. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, counting a swap of two neighbours (`emial`) as one edit. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return d[a.length]?.[b.length] ?? 3;
}

/**
 * A saved connection's action and parsed mapping. Both were checked at save, so a failure here
 * means the stored connection no longer fits this version of Sluice; the message says what to do.
 */
export function connectionAction(
  connection: Pick<ConnectionRecord, 'action' | 'mapping'>,
): { ok: true; action: StripeAction<Fields>; mapping: ParsedMapping } | { ok: false; error: string } {
  const action = findAction(connection.action);
  if (!action) return { ok: false, error: `action ${JSON.stringify(connection.action)} is not known to this version of Sluice` };
  const mapping = checkMapping(action, JSON.parse(connection.mapping) as Record<string, unknown>);
  if (!mapping.ok)
    return { ok: false, error: `the mapping is not valid any more: ${joinErrors(mapping.errors)}; save the connection again` };
  return { ok: true, action, mapping: mapping.mapping };
}
