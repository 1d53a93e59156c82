import { invalidRequest, parameterInvalidEmpty, parameterMissing, parameterUnknown } from './errors.js';
import { invalidCurrencyMessage, isSupportedCurrency } from './currencies.js';
import { isFormObject, type FormObject, type FormValue } from './form.js';

/**
 * A small declarative schema for an endpoint's parameters. It is the one place that says which
 * parameters exist, so unknown ones get Stripe's `parameter_unknown`, and it types the input the
 * endpoint's code receives. An empty string means "unset" (null) unless the field is required.
 */
interface Common {
  readonly required?: boolean;
}
export interface StringSpec extends Common {
  readonly t: 'string';
  readonly max?: number;
}
export interface EmailSpec extends Common {
  readonly t: 'email';
}
export interface CurrencySpec extends Common {
  readonly t: 'currency';
}
export interface DecimalSpec extends Common {
  readonly t: 'decimal';
}
export interface IntegerSpec extends Common {
  readonly t: 'integer';
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanSpec extends Common {
  readonly t: 'boolean';
}
export interface EnumSpec<V extends string> extends Common {
  readonly t: 'enum';
  readonly values: readonly V[];
}
export interface MetadataSpec extends Common {
  readonly t: 'metadata';
}
/** A timestamp filter: `created=123` or `created[gte]=123`. */
export interface RangeSpec extends Common {
  readonly t: 'range';
}
export interface ObjectSpec<F extends Fields> extends Common {
  readonly t: 'object';
  readonly fields: F;
}
export interface ArraySpec<O extends Spec> extends Common {
  readonly t: 'array';
  readonly of: O;
  readonly max?: number;
}
export type Spec =
  | StringSpec
  | EmailSpec
  | CurrencySpec
  | DecimalSpec
  | IntegerSpec
  | BooleanSpec
  | EnumSpec<string>
  | MetadataSpec
  | RangeSpec
  | ObjectSpec<Fields>
  | ArraySpec<Spec>;
export interface Fields {
  readonly [name: string]: Spec;
}

/** Metadata as sent: a null value unsets that key. */
export type MetadataInput = Record<string, string | null>;
export interface RangeInput {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type Infer<S> =
  S extends EnumSpec<infer V>
    ? V
    : S extends { t: 'string' | 'email' | 'currency' | 'decimal' }
      ? string
      : S extends { t: 'integer' }
        ? number
        : S extends { t: 'boolean' }
          ? boolean
          : S extends { t: 'metadata' }
            ? MetadataInput
            : S extends { t: 'range' }
              ? RangeInput
              : S extends ObjectSpec<infer F>
                ? InferFields<F>
                : S extends ArraySpec<infer O>
                  ? Infer<O>[]
                  : never;

type IsRequired<S> = S extends { required: true } ? true : false;
export type InferFields<F extends Fields> = {
  -readonly [K in keyof F as IsRequired<F[K]> extends true ? K : never]: Infer<F[K]>;
} & {
  -readonly [K in keyof F as IsRequired<F[K]> extends true ? never : K]?: Infer<F[K]> | null;
};

export const str = (options: { max?: number } = {}): StringSpec => ({ t: 'string', ...options });
export const email = (): EmailSpec => ({ t: 'email' });
export const currency = (): CurrencySpec => ({ t: 'currency' });
export const decimal = (): DecimalSpec => ({ t: 'decimal' });
export const int = (options: { min?: number; max?: number } = {}): IntegerSpec => ({ t: 'integer', ...options });
export const bool = (): BooleanSpec => ({ t: 'boolean' });
export const oneOf = <const V extends string>(values: readonly V[]): EnumSpec<V> => ({ t: 'enum', values });
export const metadata = (): MetadataSpec => ({ t: 'metadata' });
export const range = (): RangeSpec => ({ t: 'range' });
export const obj = <const F extends Fields>(fields: F): ObjectSpec<F> => ({ t: 'object', fields });
export const arr = <O extends Spec>(of: O, options: { max?: number } = {}): ArraySpec<O> => ({
  t: 'array',
  of,
  ...options,
});
export const required = <S extends Spec>(spec: S): S & { readonly required: true } => ({ ...spec, required: true });

const STRING_MAX = 5000;
const METADATA_MAX_KEYS = 50;
const METADATA_KEY_MAX = 40;
const METADATA_VALUE_MAX = 500;

/** Checks `raw` against `fields`; throws Stripe's 400 for the first problem found. */
export function validateFields<F extends Fields>(fields: F, raw: FormObject, prefix = ''): InferFields<F> {
  return checkObject(fields, raw, prefix) as InferFields<F>;
}

const paramName = (prefix: string, key: string): string => (prefix === '' ? key : `${prefix}[${key}]`);

function checkObject(fields: Fields, raw: FormObject, prefix: string): Record<string, unknown> {
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(fields, key)) throw parameterUnknown(paramName(prefix, key));
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const name = paramName(prefix, key);
    const value = raw[key];
    if (value === undefined) {
      if (spec.required === true) throw parameterMissing(name);
      continue;
    }
    out[key] = checkValue(spec, value, name);
  }
  return out;
}

function checkValue(spec: Spec, value: FormValue, name: string): unknown {
  if (value === '') {
    if (spec.required === true) throw parameterInvalidEmpty(name);
    return null;
  }
  switch (spec.t) {
    case 'string':
      return checkString(value, name, spec.max ?? STRING_MAX);
    case 'email': {
      const text = checkString(value, name, 512);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
        throw invalidRequest(`Invalid email address: ${text}`, { code: 'email_invalid', param: name });
      }
      return text;
    }
    case 'currency': {
      const text = checkString(value, name, 16).toLowerCase();
      if (!isSupportedCurrency(text)) throw invalidRequest(invalidCurrencyMessage(text), { param: name });
      return text;
    }
    case 'decimal': {
      const text = scalar(value, name, 'decimal');
      if (!/^-?\d{1,20}(\.\d{1,12})?$/.test(text)) {
        throw invalidRequest(`Invalid decimal: ${text}`, { code: 'parameter_invalid_decimal', param: name });
      }
      return text;
    }
    case 'integer':
      return checkInteger(spec, value, name);
    case 'boolean': {
      const text = scalar(value, name, 'boolean');
      if (text !== 'true' && text !== 'false') throw invalidRequest(`Invalid boolean: ${text}`, { param: name });
      return text === 'true';
    }
    case 'enum': {
      const text = scalar(value, name, 'string');
      if (!spec.values.includes(text)) {
        throw invalidRequest(`Invalid ${name}: must be one of ${listWithOr(spec.values)}`, { param: name });
      }
      return text;
    }
    case 'metadata':
      return checkMetadata(value, name);
    case 'range':
      return checkRange(value, name);
    case 'object': {
      const object = asObject(value);
      if (object === undefined) throw invalidRequest('Invalid object', { param: name });
      return checkObject(spec.fields, object, name);
    }
    case 'array':
      return checkArray(spec, value, name);
  }
}

function scalar(value: FormValue, name: string, kind: string): string {
  if (typeof value !== 'string') throw invalidRequest(`Invalid ${kind}: ${shown(value)}`, { param: name });
  return value;
}

function checkString(value: FormValue, name: string, max: number): string {
  const text = scalar(value, name, 'string');
  if (text.length > max) {
    throw invalidRequest(`Invalid string: ${text.slice(0, 40)}...; must be at most ${max} characters`, {
      param: name,
    });
  }
  return text;
}

function checkInteger(spec: IntegerSpec, value: FormValue, name: string): number {
  const text = scalar(value, name, 'integer');
  const number = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(number)) {
    throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param: name });
  }
  const { min, max } = spec;
  if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
    const bounds =
      min !== undefined && max !== undefined
        ? `must be between ${min} and ${max}`
        : min !== undefined
          ? `must be greater than or equal to ${min}`
          : `must be less than or equal to ${String(max)}`;
    throw invalidRequest(`Invalid ${name}: ${bounds}`, { code: 'parameter_invalid_integer', param: name });
  }
  return number;
}

function checkMetadata(value: FormValue, name: string): Record<string, string | null> {
  const object = asObject(value);
  if (object === undefined) throw invalidRequest('Invalid hash', { param: name });
  const entries = Object.entries(object);
  if (entries.length > METADATA_MAX_KEYS) {
    throw invalidRequest(`Invalid ${name}: metadata can have at most ${METADATA_MAX_KEYS} keys, but ${entries.length} were given.`, {
      param: name,
    });
  }
  const out: Record<string, string | null> = {};
  for (const [key, item] of entries) {
    const param = `${name}[${key}]`;
    if (key.length > METADATA_KEY_MAX) {
      throw invalidRequest(`Invalid ${name}: keys must be at most ${METADATA_KEY_MAX} characters long (${key.slice(0, 60)}).`, {
        param,
      });
    }
    if (typeof item !== 'string') throw invalidRequest(`Invalid string: ${shown(item)}`, { param });
    if (item.length > METADATA_VALUE_MAX) {
      throw invalidRequest(`Invalid ${name}: values must be at most ${METADATA_VALUE_MAX} characters long.`, { param });
    }
    out[key] = item === '' ? null : item;
  }
  return out;
}

function checkRange(value: FormValue, name: string): RangeInput {
  const integer = int();
  if (typeof value === 'string') {
    const at = checkInteger(integer, value, name);
    return { gte: at, lte: at };
  }
  const object = asObject(value);
  if (object === undefined) throw invalidRequest('Invalid object', { param: name });
  const fields = { gt: integer, gte: integer, lt: integer, lte: integer } as const;
  return checkObject(fields, object, name) as RangeInput;
}

function checkArray(spec: ArraySpec<Spec>, value: FormValue, name: string): unknown[] {
  let items: [number, FormValue][];
  if (Array.isArray(value)) {
    items = [];
    value.forEach((item, index) => items.push([index, item]));
  } else if (isFormObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key))) {
    // qs turns indices past its array limit into hash keys; they are still an array to Stripe.
    items = Object.entries(value)
      .map(([key, item]): [number, FormValue] => [Number(key), item])
      .sort((a, b) => a[0] - b[0]);
  } else {
    throw invalidRequest('Invalid array', { param: name });
  }
  if (spec.max !== undefined && items.length > spec.max) {
    throw invalidRequest(`Invalid array: ${name} can have at most ${spec.max} items.`, { param: name });
  }
  return items.map(([index, item]) => checkValue(spec.of, item, `${name}[${index}]`));
}

/** A hash, accepting the array qs makes of numeric keys (`metadata[0]=x`). */
function asObject(value: FormValue): FormObject | undefined {
  if (isFormObject(value)) return value;
  if (Array.isArray(value)) {
    const out: FormObject = {};
    value.forEach((item, index) => {
      out[String(index)] = item;
    });
    return out;
  }
  return undefined;
}

function shown(value: FormValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/** `a, b, or c` as in Stripe's "must be one of" messages. */
export function listWithOr(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1] ?? ''}`;
}
