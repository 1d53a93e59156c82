import { parseCountry } from '../../core/country.js';
import { maxMinorAmount, parseCurrency } from '../../core/currency.js';
import { emailProblem } from '../../core/email.js';
import { quote } from '../../core/field-error.js';
import { looksLikeFormula } from '../../core/formula.js';
import { formatMinor, parseAmount } from '../../core/money.js';
import { fail, ok, type Result } from '../../core/result.js';

/**
 * The declaration of one action field: what the catalog shows (label, help, example, required) and
 * how a mapped value — always text, since it comes from a template — becomes the typed input.
 * This is the single source of both: the catalog is built from `spec`, validation from `parse`,
 * and the action's TypeScript input type from the field's type parameter (see InputOf).
 *
 * Written by hand rather than with zod because every value arrives as text typed by a person and
 * must be read the way people write it (amounts like "1 234,50", booleans like "yes"), with
 * messages that quote the value and say what is allowed.
 */
export interface FieldSpec {
  /** The field's key in a mapping: `email`, `address.city`, `metadata.*` (any `metadata.<key>`). */
  key: string;
  type: 'text' | 'email' | 'currency' | 'amount' | 'integer' | 'boolean' | 'enum' | 'customer' | 'id' | 'list' | 'country' | 'metadata';
  label: string;
  help: string;
  example: string;
  required: boolean;
  /** For enum fields: the allowed values. */
  options?: readonly string[];
  /** The value used when the mapping leaves the field out. */
  default?: string;
  /** For amount fields: the field whose currency the amount is in. */
  currencyKey?: string;
}

/** Values already parsed for the same row, for fields that depend on another (an amount on its currency). */
export type Siblings = Readonly<Record<string, unknown>>;

export interface Field<T, R extends boolean = boolean> {
  spec: FieldSpec;
  required: R;
  /** Parses a non-empty, trimmed value. The error is the sentence after `<field>: `. */
  parse(value: string, siblings: Siblings): Result<T>;
  /** Fields parsed after the others, because they read a sibling (amount reads currency). */
  late?: boolean;
  /**
   * For a wildcard field (`metadata.*`): parses the value of one `metadata.<name>` entry. The
   * field's input is then the object of all entries, and `parse` is not used.
   */
  entry?(name: string, value: string): Result<string>;
}

export type Fields = Record<string, Field<unknown>>;

/** The typed input an action receives: required fields present, the others optional. */
export type InputOf<F extends Fields> = {
  [K in keyof F as F[K] extends Field<unknown, true> ? K : never]: F[K] extends Field<infer T, boolean> ? T : never;
} & {
  [K in keyof F as F[K] extends Field<unknown, true> ? never : K]?: F[K] extends Field<infer T, boolean> ? T : never;
};

type Common<R extends boolean> = { label: string; help: string; example: string; required?: R; default?: string };

function make<T, R extends boolean>(
  key: string,
  type: FieldSpec['type'],
  o: Common<R> & { options?: readonly string[] },
  parse: Field<T, R>['parse'],
  late = false,
): Field<T, R> {
  const required = (o.required ?? false) as R;
  const spec: FieldSpec = { key, type, label: o.label, help: o.help, example: o.example, required };
  if (o.options) spec.options = o.options;
  if (o.default !== undefined) spec.default = o.default;
  return { spec, required, parse, ...(late ? { late } : {}) };
}

/** Stripe's limit on an email address. */
const MAX_EMAIL = 512;

function maxLength(value: string, max: number): Result<string> {
  return value.length <= max ? ok(value) : fail(`${quote(value)} is ${value.length} characters long; at most ${max} are allowed`);
}

/** Text sent to Stripe as given: not a spreadsheet formula (see core/formula.ts), and not longer than Stripe allows. */
function plainText(value: string, max: number): Result<string> {
  if (looksLikeFormula(value)) return fail(`${quote(value)} looks like a spreadsheet formula; export the sheet's values, not its formulas`);
  return maxLength(value, max);
}

/** Why a value is not an email address, or undefined; the sentence after `<field>: `. */
function emailError(v: string): string | undefined {
  if (v.length > MAX_EMAIL) return `${quote(v)} is ${v.length} characters long; an email address has at most ${MAX_EMAIL}`;
  const problem = emailProblem(v);
  if (problem === undefined) return undefined;
  // Without an @ the value is plainly something else; the reason would only repeat that.
  return `${quote(v)} is not an email address such as ada@example.com${v.includes('@') ? `: ${problem}` : ''}`;
}

export const text = <R extends boolean = false>(key: string, o: Common<R> & { max?: number }): Field<string, R> =>
  make(key, 'text', o, (v) => plainText(v, o.max ?? 5000));

export const email = <R extends boolean = false>(key: string, o: Common<R>): Field<string, R> =>
  make(key, 'email', o, (v) => {
    const error = emailError(v);
    return error === undefined ? ok(v) : fail(error);
  });

export const currency = <R extends boolean = false>(key: string, o: Common<R>): Field<string, R> =>
  make(key, 'currency', o, (v) => parseCurrency(v));

/**
 * An amount typed as people write it, converted to the minor unit of the currency in the sibling
 * field `currencyKey`. Without a readable currency it cannot be converted; that error is the
 * currency field's, so this one stays quiet.
 */
export const amount = <R extends boolean = false>(key: string, o: Common<R> & { currencyKey: string }): Field<number, R> => {
  const field = make<number, R>(
    key,
    'amount',
    o,
    (v, siblings) => {
      const cur = siblings[o.currencyKey];
      if (typeof cur !== 'string') return fail(`${quote(v)} cannot be converted without a valid ${o.currencyKey}`);
      const parsed = parseAmount(v, cur);
      if (!parsed.ok) return parsed;
      const max = maxMinorAmount(cur);
      if (Math.abs(parsed.value) <= max) return parsed;
      const code = cur.toUpperCase();
      return fail(
        `${quote(v)} is ${formatMinor(parsed.value, cur)} ${code}, more than Stripe accepts: at most ${formatMinor(max, cur)} ${code} (${max} in the currency's smallest unit)`,
      );
    },
    true,
  );
  field.spec.currencyKey = o.currencyKey;
  return field;
};

export const integer = <R extends boolean = false>(key: string, o: Common<R> & { min: number; max: number }): Field<number, R> =>
  make(key, 'integer', o, (v) => {
    const n = /^[+]?\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n >= o.min && n <= o.max
      ? ok(n)
      : fail(`${quote(v)} is not a whole number from ${o.min} to ${o.max}`);
  });

const TRUE = new Set(['true', 'yes', 'y', '1', 'on', 'так', 'да']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'ні', 'нет']);

export const boolean = <R extends boolean = false>(key: string, o: Common<R>): Field<boolean, R> =>
  make(key, 'boolean', o, (v) => {
    const s = v.toLowerCase();
    if (TRUE.has(s)) return ok(true);
    if (FALSE.has(s)) return ok(false);
    return fail(`${quote(v)} is not yes or no; use true/false, yes/no or 1/0`);
  });

export const oneOf = <const O extends string, R extends boolean = false>(
  key: string,
  o: Common<R> & { options: readonly O[] },
): Field<O, R> =>
  make(key, 'enum', o, (v) => {
    const found = o.options.find((x) => x === v.toLowerCase());
    return found ? ok(found) : fail(`${quote(v)} is not allowed; use one of: ${o.options.join(', ')}`);
  });

export const stripeId = <R extends boolean = false>(key: string, o: Common<R> & { prefix: string; what: string }): Field<string, R> =>
  make(key, 'id', o, (v) =>
    new RegExp(`^${o.prefix}_[A-Za-z0-9]{6,250}$`).test(v) ? ok(v) : fail(`${quote(v)} is not a ${o.what} id (${o.prefix}_…)`),
  );

export type CustomerRef = { kind: 'id'; id: string } | { kind: 'email'; email: string };

/** A customer given by its Stripe id (`cus_…`) or by the email of an existing customer. */
export const customerRef = <R extends boolean = false>(key: string, o: Common<R>): Field<CustomerRef, R> =>
  make(key, 'customer', o, (v) => {
    if (/^cus_[A-Za-z0-9]{6,250}$/.test(v)) return ok({ kind: 'id', id: v });
    if (!v.includes('@')) return fail(`${quote(v)} is neither a customer id (cus_…) nor an email address`);
    const error = emailError(v);
    return error === undefined ? ok({ kind: 'email', email: v }) : fail(error);
  });

export const list = <R extends boolean = false>(
  key: string,
  o: Common<R> & { item: RegExp; itemHelp: string; max: number },
): Field<string[], R> =>
  make(key, 'list', o, (v) => {
    const items = v
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.find((s) => !o.item.test(s));
    if (bad !== undefined) return fail(`${quote(bad)} in ${quote(v)} is not allowed; each item must be ${o.itemHelp}`);
    if (items.length > o.max) return fail(`${quote(v)} has ${items.length} items; at most ${o.max} are allowed`);
    return ok(items);
  });

export const country = <R extends boolean = false>(key: string, o: Common<R>): Field<string, R> =>
  make(key, 'country', o, (v) => parseCountry(v));

/**
 * `metadata.*`: any number of `metadata.<key>` mapping entries, each a text value. Stripe allows
 * 50 keys of at most 40 characters, values of at most 500; Sluice keeps one key for itself.
 */
export const metadata = (o: Common<false>): Field<Record<string, string>, false> => ({
  ...make<Record<string, string>, false>('metadata.*', 'metadata', o, () => fail('takes metadata.<key> entries')),
  entry: (name, value) => {
    if (!/^[^\[\]]{1,40}$/.test(name)) {
      return fail(`the key ${quote(name)} is not allowed; metadata keys are 1 to 40 characters without square brackets`);
    }
    return plainText(value, 500);
  },
});

/** The metadata field every action has, declared once. */
export const metadataField = metadata({
  label: 'Metadata',
  help: 'Any keys: map metadata.<key> to a template.',
  example: 'metadata.order = {{Order #}}',
});

/** The metadata key Sluice sets on every object it creates, to find it again (never rename: objects in Stripe carry it). */
export const ROW_MARKER_KEY = 'sluice_row';
/** The metadata key on objects made by a test send, so they can be told apart and cleaned up (never rename). */
export const TEST_MARKER_KEY = 'sluice_test';
export const MAX_USER_METADATA_KEYS = 49;
