import { invalidRequest } from './errors.js';
import { THREE_DECIMAL_CURRENCIES } from './currencies.js';

/** Stripe asks three-decimal amounts (BHD, JOD, KWD, OMR, TND) to end in 0. */
export function checkMinorUnits(amount: number, currency: string, param: string): void {
  if (THREE_DECIMAL_CURRENCIES.has(currency) && amount % 10 !== 0) {
    throw invalidRequest(
      `Invalid ${param}: ${amount}. ${currency} uses three decimal places, and Stripe requires the ` +
        `last digit of its amounts to be 0 (a multiple of 10).`,
      { param },
    );
  }
}

const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);

/** A decimal string (at most 12 places, as the schema allows) as an integer of 10⁻¹² units. */
function toScaled(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const scaled = BigInt(whole) * ONE + BigInt(fraction.padEnd(SCALE, '0') || '0');
  return negative ? -scaled : scaled;
}

/**
 * `unit_amount_decimal` × quantity, rounded to a whole minor unit (half away from zero). Exact:
 * floating point would turn 0.1 × 3 into 0.30000000000000004.
 */
export function multiplyDecimal(decimal: string, quantity: number): number {
  const product = toScaled(decimal) * BigInt(quantity);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude + ONE / 2n) / ONE;
  return Number(negative ? -rounded : rounded);
}

/** `"1050.500"` → `"1050.5"`, `"007"` → `"7"`: the form Stripe echoes decimals back in. */
export function normalizeDecimal(decimal: string): string {
  const scaled = toScaled(decimal);
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const whole = (magnitude / ONE).toString();
  const fraction = (magnitude % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** The integer amount a decimal stands for, or null when it has a fraction. */
export function wholeAmount(decimal: string): number | null {
  const normalized = normalizeDecimal(decimal);
  return normalized.includes('.') ? null : Number(normalized);
}
