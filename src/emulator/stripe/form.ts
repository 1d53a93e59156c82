import qs from 'qs';
import { invalidRequest } from './errors.js';

/**
 * A parsed `application/x-www-form-urlencoded` body or query string: `metadata[order]=A-17`
 * becomes `{ metadata: { order: 'A-17' } }`, `preferred_locales[0]=uk` becomes
 * `{ preferred_locales: ['uk'] }`. Leaves are always strings; typing them is the schema's job.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/**
 * Limits keep a hostile body from costing much: Stripe's deepest parameters
 * (`shipping[address][line1]`, `price_data[recurring][interval]`) are three levels deep.
 * Sparse arrays are kept sparse so that `metadata[3]=x` keeps its key when the schema turns the
 * array back into a hash; repeated plain keys keep the last value, as Stripe does.
 */
const OPTIONS = {
  depth: 8,
  strictDepth: true,
  parameterLimit: 2000,
  throwOnLimitExceeded: true,
  arrayLimit: 1000,
  allowSparse: true,
  duplicates: 'last',
  allowPrototypes: false,
  plainObjects: true,
  charset: 'utf-8',
} as const;

export function parseForm(text: string): FormObject {
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = qs.parse(text, OPTIONS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidRequest(`Invalid request: the parameters could not be read (${reason}).`);
  }
  const value = toFormValue(parsed);
  return typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function toFormValue(value: unknown): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const out: FormValue[] = new Array<FormValue>(value.length);
    value.forEach((item: unknown, index) => {
      out[index] = toFormValue(item);
    });
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: FormObject = Object.create(null) as FormObject;
    for (const [key, item] of Object.entries(value)) out[key] = toFormValue(item);
    return out;
  }
  return '';
}

export function isFormObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && !Array.isArray(value);
}
