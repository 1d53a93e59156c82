import { characterProblem } from '../../core/characters.js';
import { fieldError, valueError, type FieldError } from '../../core/field-error.js';
import { MAX_USER_METADATA_KEYS, type Field, type Fields, type InputOf } from './field-kit.js';

/** Finds the declared field a mapping key belongs to: `email` → email, `metadata.order` → metadata.* */
export function fieldFor(fields: Fields, key: string): { name: string; field: Field<unknown>; entry?: string } | undefined {
  const exact = fields[key];
  if (exact && !exact.entry) return { name: key, field: exact };
  for (const [name, field] of Object.entries(fields)) {
    const prefix = field.spec.key.endsWith('.*') ? field.spec.key.slice(0, -1) : undefined;
    if (field.entry && prefix && key.startsWith(prefix) && key.length > prefix.length) {
      return { name, field, entry: key.slice(prefix.length) };
    }
  }
  return undefined;
}

export type Validated<F extends Fields> = { ok: true; input: InputOf<F> } | { ok: false; errors: FieldError[] };

/**
 * Turns the mapped text values of one row into the action's typed input. Empty values count as
 * not given (so an empty cell leaves a Stripe field unset); a field's default fills in when the
 * mapping gives nothing; every problem is reported, not only the first. Before any field reads
 * it, every value is checked for characters no field may hold (core/characters.ts): a control
 * character, a lone surrogate, a replacement character or a bidirectional override.
 */
export function validateInput<F extends Fields>(fields: F, values: Readonly<Record<string, string>>): Validated<F> {
  const errors: FieldError[] = [];
  const input: Record<string, unknown> = {};
  const given = new Map<string, string>();
  const entries = new Map<string, Record<string, string>>();
  /** Fields whose value was refused for its characters: reported once, not again as missing. */
  const refused = new Set<string>();

  for (const [key, raw] of Object.entries(values)) {
    const value = raw.trim();
    const target = fieldFor(fields, key);
    if (!target) {
      errors.push(fieldError(key, undefined, 'is not a field of this action'));
      continue;
    }
    if (value === '') continue;
    const characters = characterProblem(value);
    if (characters !== undefined) {
      errors.push(valueError(key, value, characters));
      refused.add(target.name);
      continue;
    }
    if (target.entry !== undefined && target.field.entry) {
      const parsed = target.field.entry(target.entry, value);
      if (!parsed.ok) errors.push(fieldError(key, value, parsed.error));
      else entries.set(target.name, { ...entries.get(target.name), [target.entry]: parsed.value });
    } else {
      given.set(target.name, value);
    }
  }

  for (const [name, record] of entries) {
    const count = Object.keys(record).length;
    if (count > MAX_USER_METADATA_KEYS) {
      errors.push(fieldError(name, undefined, `has ${count} keys; at most ${MAX_USER_METADATA_KEYS} are allowed`));
    }
    input[name] = record;
  }

  // Two passes: a late field (an amount) reads a sibling (its currency) parsed in the first.
  const ordered = Object.entries(fields).sort(([, a], [, b]) => Number(a.late ?? false) - Number(b.late ?? false));
  for (const [name, field] of ordered) {
    if (field.entry || refused.has(name)) continue;
    const value = given.get(name) ?? field.spec.default;
    if (value === undefined || value === '') {
      if (field.required) errors.push(fieldError(name, '', 'is required but the mapping gave no value'));
      continue;
    }
    const parsed = field.parse(value, input);
    if (parsed.ok) input[name] = parsed.value;
    else errors.push(fieldError(name, value, parsed.error));
  }

  return errors.length ? { ok: false, errors } : { ok: true, input: input as InputOf<F> };
}

/** One line for a row's error column: every field problem, separated by semicolons. */
export function joinErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => e.message).join('; ');
}
