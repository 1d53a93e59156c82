import { quote } from './field-error.js';
import { fail, ok, type Result } from './result.js';

/**
 * Currencies whose Stripe amount is in whole units: 500 JPY is `amount=500`.
 * From Stripe's "Supported currencies" page.
 */
export const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Currencies whose Stripe amount is in thousandths (and Stripe asks the last digit to be 0). */
export const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/**
 * ISO 4217 codes that Stripe accepts as a presentment currency, lowercase as Stripe writes them.
 * Kept by hand from Stripe's "Supported currencies" page. Two codes are there for Stripe's sake
 * although ISO has since replaced them: `std` (Stripe has not moved to `stn`) and `ang` (being
 * replaced by `xcg`, which is listed too). A currency missing here is refused at save time, so
 * when Stripe adds one, add it here.
 */
export const STRIPE_CURRENCIES: ReadonlySet<string> = new Set([
  'aed',
  'afn',
  'all',
  'amd',
  'ang',
  'aoa',
  'ars',
  'aud',
  'awg',
  'azn',
  'bam',
  'bbd',
  'bdt',
  'bgn',
  'bhd',
  'bif',
  'bmd',
  'bnd',
  'bob',
  'brl',
  'bsd',
  'bwp',
  'byn',
  'bzd',
  'cad',
  'cdf',
  'chf',
  'clp',
  'cny',
  'cop',
  'crc',
  'cve',
  'czk',
  'djf',
  'dkk',
  'dop',
  'dzd',
  'egp',
  'etb',
  'eur',
  'fjd',
  'fkp',
  'gbp',
  'gel',
  'gip',
  'gmd',
  'gnf',
  'gtq',
  'gyd',
  'hkd',
  'hnl',
  'htg',
  'huf',
  'idr',
  'ils',
  'inr',
  'isk',
  'jmd',
  'jod',
  'jpy',
  'kes',
  'kgs',
  'khr',
  'kmf',
  'krw',
  'kwd',
  'kyd',
  'kzt',
  'lak',
  'lbp',
  'lkr',
  'lrd',
  'lsl',
  'mad',
  'mdl',
  'mga',
  'mkd',
  'mmk',
  'mnt',
  'mop',
  'mur',
  'mvr',
  'mwk',
  'mxn',
  'myr',
  'mzn',
  'nad',
  'ngn',
  'nio',
  'nok',
  'npr',
  'nzd',
  'omr',
  'pab',
  'pen',
  'pgk',
  'php',
  'pkr',
  'pln',
  'pyg',
  'qar',
  'ron',
  'rsd',
  'rub',
  'rwf',
  'sar',
  'sbd',
  'scr',
  'sek',
  'sgd',
  'shp',
  'sle',
  'sos',
  'srd',
  'std',
  'szl',
  'thb',
  'tjs',
  'tnd',
  'top',
  'try',
  'ttd',
  'twd',
  'tzs',
  'uah',
  'ugx',
  'usd',
  'uyu',
  'uzs',
  'vnd',
  'vuv',
  'wst',
  'xaf',
  'xcd',
  'xcg',
  'xof',
  'xpf',
  'yer',
  'zar',
  'zmw',
]);

const EXAMPLES = 'use a three-letter ISO code such as usd, eur, uah';

/**
 * How many digits the currency's minor unit has in Stripe's API: 0 (JPY: amount is yen),
 * 3 (BHD: amount is fils) or 2 (everything else). Case-insensitive; an unknown code counts as 2,
 * so check it with `parseCurrency` first.
 */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  const code = currency.trim().toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * The largest amount Stripe accepts, in the currency's minor unit: eight digits (99999999, which is
 * 999,999.99 USD or 99,999,999 JPY), and twelve for IDR. From Stripe's "Supported currencies" page
 * (minimum and maximum charge amounts). A larger amount is refused by Stripe, so Sluice refuses it
 * first, with a message that says the limit in the row's own units.
 */
export function maxMinorAmount(currency: string): number {
  return currency.trim().toLowerCase() === 'idr' ? 999_999_999_999 : 99_999_999;
}

/** Whether Stripe accepts this code (any case, surrounding spaces ignored). */
export function isStripeCurrency(currency: string): boolean {
  return STRIPE_CURRENCIES.has(currency.trim().toLowerCase());
}

/**
 * Reads a currency as people write it (`USD`, `eur `, `Uah`) into Stripe's form: a lowercase ISO
 * 4217 code that Stripe supports.
 */
export function parseCurrency(text: string): Result<string> {
  const code = text.trim().toLowerCase();
  if (code === '') return fail(`${quote(text)} is empty; ${EXAMPLES}`);
  if (!/^[a-z]{3}$/.test(code)) return fail(`${quote(text)} is not a currency code; ${EXAMPLES}`);
  if (!STRIPE_CURRENCIES.has(code)) {
    return fail(`${quote(text)} is not a currency Stripe supports; ${EXAMPLES}`);
  }
  return ok(code);
}
