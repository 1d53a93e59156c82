import { isStripeCurrency, minorUnitDigits } from './currency.js';
import { quote } from './field-error.js';
import { fail, ok, type Result } from './result.js';

/**
 * The largest amount `parseAmount` accepts, in whole units of the currency: 8 digits before the
 * decimal mark. A guard against a pasted id or a phone number read as an amount; it also keeps
 * every minor-unit result a safe integer. Stripe's own limit is lower — 8 digits in the *minor*
 * unit (99999999 = $999,999.99), see `maxMinorAmount` — and is checked by the amount field, which
 * knows the currency's limit; this function only reads numbers.
 */
export const MAX_MAJOR_UNITS = 99_999_999;

/**
 * Currency signs people type before or after an amount, each with the currencies it can mean.
 * An empty list means "too many currencies to check" (`$` is used by dozens of them).
 * A sign that cannot mean the row's currency is an error: `€12` is not an amount in USD.
 * Longer signs come first so that `US$` is matched before `$`.
 */
const SIGNS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['US$', ['usd']],
  ['CA$', ['cad']],
  ['AU$', ['aud']],
  ['NZ$', ['nzd']],
  ['HK$', ['hkd']],
  ['MX$', ['mxn']],
  ['R$', ['brl']],
  ['C$', ['cad', 'nio']],
  ['A$', ['aud']],
  ['S$', ['sgd']],
  ['$', []],
  ['€', ['eur']],
  ['£', ['gbp', 'egp', 'fkp', 'gip', 'shp', 'lbp']],
  ['¥', ['jpy', 'cny']],
  ['₴', ['uah']],
  ['₹', ['inr']],
  ['₽', ['rub']],
  ['₩', ['krw']],
  ['₺', ['try']],
  ['₪', ['ils']],
  ['₫', ['vnd']],
  ['₱', ['php']],
  ['₦', ['ngn']],
  ['₸', ['kzt']],
  ['₼', ['azn']],
  ['₾', ['gel']],
  ['฿', ['thb']],
  ['zł', ['pln']],
];

const MINUS_SIGNS = new Set(['-', '\u2212']);
/** Characters that only ever group thousands: space, no-break space, narrow no-break space, thin space, apostrophes (Swiss `1'234.50`). */
const SPACE_GROUPING = /[ \u00a0\u202f\u2009]/g;
const APOSTROPHE_GROUPING = /['\u2019]/g;

/**
 * Reads an amount as people type it and returns it as an integer in the currency's minor unit,
 * the way Stripe wants it: `12,50` EUR → 1250, `1 234,50` EUR → 123450, `1200` JPY → 1200,
 * `12.34` BHD → 12340.
 *
 * Which of `.` and `,` is the decimal mark:
 * - both appear: the last one is the decimal mark (`1,234.50`, `1.234,50`);
 * - one kind appears more than once: it groups thousands (`1,234,567`);
 * - a single one followed by exactly three digits groups thousands for 0- and 2-decimal currencies
 *   (`1,234` USD = 1234, and so `12.505` USD = 12505) and is the decimal mark for 3-decimal ones
 *   (`1,234` BHD = 1.234), unless what comes before it cannot be a first group of thousands
 *   (`0.125`, `1234.567`) or spaces or apostrophes already group the thousands (`1 234,567`);
 * - otherwise it is the decimal mark (`12,50`, `.5`).
 *
 * Never rounds: a digit that Stripe's amount cannot carry is an error, not silently dropped.
 * Only string and integer arithmetic: no float ever holds the amount.
 */
export function parseAmount(text: string, currency: string): Result<number> {
  const code = currency.trim().toLowerCase();
  const label = code.toUpperCase();
  const digits = minorUnitDigits(code);
  const q = quote(text);
  const trimmed = text.trim();
  if (trimmed === '') return fail(`${q} is empty; an amount such as 12.50 is needed`);
  if (/^[-+\u2212]?\d*[.,]?\d+e[-+]?\d+$/i.test(trimmed)) {
    return fail(`${q} is not a number: exponent notation is not accepted; write all the digits, such as 100000`);
  }

  const marks = stripSignAndCurrency(trimmed);
  if (!marks.ok) return fail(`${q} is not a number`);
  const { negative, body, sign, letters } = marks.value;
  if (letters !== undefined && letters !== code) {
    return fail(`${q} is in ${letters.toUpperCase()}, but the currency is ${label}`);
  }
  if (sign !== undefined) {
    const meanings = SIGNS.find(([s]) => s === sign)?.[1] ?? [];
    if (meanings.length > 0 && !meanings.includes(code)) {
      return fail(`${q} has the currency sign ${sign}, which does not stand for ${label}`);
    }
  }

  const split = splitNumber(body, digits);
  if (!split.ok) {
    // Digits of another script (Arabic-Indic ١٢٣, Devanagari १२३) are refused rather than read, but say so.
    const reason = split.error !== '' ? split.error : /\p{Nd}/u.test(body.replace(/[0-9]/g, '')) ? 'write its digits as 0–9' : '';
    return fail(`${q} is not a number${reason === '' ? '' : `: ${reason}`}`);
  }
  const whole = split.value.whole.replace(/^0+/, '');
  let fraction = split.value.fraction;
  // Trailing zeros carry no value, so dropping them is not rounding: `12.00` JPY is 12.
  while (fraction.length > digits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);

  if (fraction.length > digits) {
    if (digits === 0) {
      return fail(`${q} has decimals, but ${label} has no minor unit: amounts in ${label} are whole numbers`);
    }
    return fail(`${q} has more decimals than ${label} allows (${digits})`);
  }
  fraction = fraction.padEnd(digits, '0');
  if (digits === 3 && !fraction.endsWith('0')) {
    const lower = `${whole === '' ? '0' : whole}.${fraction.slice(0, 2)}`;
    return fail(`${q} ends in a third decimal that is not 0; Stripe needs the last digit of a ${label} amount to be 0 (such as ${lower}0)`);
  }
  if (whole.length > String(MAX_MAJOR_UNITS).length) {
    return fail(`${q} is too large: an amount has at most 8 digits before the decimal mark (${MAX_MAJOR_UNITS} ${label})`);
  }
  const minor = Number(`${whole}${fraction}` || '0');
  return ok(negative && minor !== 0 ? -minor : minor);
}

/**
 * Writes a minor-unit amount in major units with the currency's decimals, for previews:
 * 1250 USD → "12.50", 1200 JPY → "1200", 12340 BHD → "12.340", -500 USD → "-5.00".
 */
export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`formatMinor needs an integer amount, got ${minor}`);
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor));
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

interface Marks {
  negative: boolean;
  /** The digits and separators left once sign and currency are taken off. */
  body: string;
  /** A currency sign found before or after the number (`$`, `€`). */
  sign?: string;
  /** A currency code found before or after the number, lowercase. */
  letters?: string;
}

/**
 * Takes off one sign (`-`, `−`, `+`) and one currency mark (a sign such as `$` or a three-letter
 * code) from either end, in any order: `-$5`, `$-5`, `USD 12.50`, `12,50 €`, `-5.00 USD`.
 */
function stripSignAndCurrency(text: string): Result<Marks> {
  let rest = text;
  let negative = false;
  let signSeen = false;
  let sign: string | undefined;
  let letters: string | undefined;

  const takeCurrency = (atStart: boolean): boolean => {
    if (sign !== undefined || letters !== undefined) return false;
    const code = atStart ? /^([A-Za-z]{3})(?![A-Za-z])/.exec(rest) : /(?<![A-Za-z])([A-Za-z]{3})$/.exec(rest);
    // Only a code Stripe knows counts as one: `12 abc` is simply not a number.
    if (code?.[1] !== undefined && isStripeCurrency(code[1])) {
      letters = code[1].toLowerCase();
      rest = atStart ? rest.slice(3) : rest.slice(0, -3);
      return true;
    }
    for (const [s] of SIGNS) {
      if (atStart ? rest.startsWith(s) : rest.endsWith(s)) {
        sign = s;
        rest = atStart ? rest.slice(s.length) : rest.slice(0, -s.length);
        return true;
      }
    }
    return false;
  };
  const takeSign = (): boolean => {
    const first = rest[0];
    if (signSeen || first === undefined) return false;
    if (first !== '+' && !MINUS_SIGNS.has(first)) return false;
    negative = first !== '+';
    signSeen = true;
    rest = rest.slice(1);
    return true;
  };

  for (;;) {
    rest = rest.trimStart();
    if (!takeSign() && !takeCurrency(true)) break;
  }
  rest = rest.trimEnd();
  if (takeCurrency(false)) rest = rest.trimEnd();
  if (rest === '') return fail('');
  return ok({
    negative,
    body: rest,
    ...(sign === undefined ? {} : { sign }),
    ...(letters === undefined ? {} : { letters }),
  });
}

/**
 * Splits the number into whole and fraction digits, after deciding which separator is the decimal
 * mark (see `parseAmount`). The error, when there is one, is a reason to append to "is not a
 * number", or "" when the text simply is not one.
 */
function splitNumber(body: string, digits: 0 | 2 | 3): Result<{ whole: string; fraction: string }> {
  if (!/^[0-9.,'\u2019 \u00a0\u202f\u2009]+$/.test(body) || !/[0-9]/.test(body)) return fail('');
  const normalized = body.replace(SPACE_GROUPING, ' ').replace(APOSTROPHE_GROUPING, "'");
  const dots = count(normalized, '.');
  const commas = count(normalized, ',');
  const otherGrouping = normalized.includes(' ') || normalized.includes("'");

  let decimalMark: '.' | ',' | undefined;
  if (dots > 0 && commas > 0) {
    decimalMark = normalized.lastIndexOf('.') > normalized.lastIndexOf(',') ? '.' : ',';
    if (count(normalized, decimalMark) > 1) return fail('');
  } else if (dots + commas === 1) {
    const mark = dots === 1 ? '.' : ',';
    const at = normalized.indexOf(mark);
    const groupsThousands =
      digits !== 3 && !otherGrouping && /^\d{3}$/.test(normalized.slice(at + 1)) && /^[1-9]\d{0,2}$/.test(normalized.slice(0, at));
    decimalMark = groupsThousands ? undefined : mark;
  }

  const at = decimalMark === undefined ? -1 : normalized.indexOf(decimalMark);
  const wholePart = at === -1 ? normalized : normalized.slice(0, at);
  const fraction = at === -1 ? '' : normalized.slice(at + 1);
  if (!/^\d*$/.test(fraction)) return fail('');
  if (wholePart === '' && fraction === '') return fail('');

  const separators = new Set(wholePart.replace(/\d/g, ''));
  if (separators.size > 1) return fail('it mixes different thousands separators');
  const [separator] = separators;
  if (separator === undefined) return ok({ whole: wholePart, fraction });
  if (!isGrouped(wholePart, separator)) {
    return fail('the digits between thousands separators should come in groups of three');
  }
  return ok({ whole: wholePart.split(separator).join(''), fraction });
}

/** `1,234,567` (groups of three) or Indian `12,34,567` (groups of two, then three). */
function isGrouped(whole: string, separator: string): boolean {
  const groups = whole.split(separator);
  const [first, ...others] = groups;
  if (first === undefined || !/^\d{1,3}$/.test(first)) return false;
  if (others.every((g) => /^\d{3}$/.test(g))) return true;
  const last = others.pop();
  return last !== undefined && /^\d{3}$/.test(last) && /^\d{1,2}$/.test(first) && others.every((g) => /^\d{2}$/.test(g));
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}
