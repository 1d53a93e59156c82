import { STRIPE_CURRENCIES, THREE_DECIMAL } from '../../core/currency.js';

/**
 * The currencies the emulator accepts: Stripe's, from the one list Sluice keeps (src/core), so the
 * two cannot drift apart. Lowercase, as Stripe returns them; usd first, as Stripe's message has it.
 */
export const SUPPORTED_CURRENCIES: readonly string[] = ['usd', ...[...STRIPE_CURRENCIES].filter((c) => c !== 'usd').sort()];

/** Amount = thousandths, and Stripe asks the last digit to be 0. */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = THREE_DECIMAL;

export function isSupportedCurrency(code: string): boolean {
  return STRIPE_CURRENCIES.has(code);
}

export function invalidCurrencyMessage(value: string): string {
  return `Invalid currency: ${value}. Stripe currently supports these currencies: ${SUPPORTED_CURRENCIES.join(', ')}`;
}
