import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 text; `randomBytes` rather than Math.random so ids never repeat across runs. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    // 248 = 4 × 62: dropping larger bytes keeps every character equally likely.
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out.length === length ? out : out + randomToken(length - out.length);
}

/**
 * Id lengths follow Stripe's: customers and products have 14 characters after the prefix,
 * invoice items, invoices, prices and line items 24.
 */
export const newId = {
  customer: () => `cus_${randomToken(14)}`,
  product: () => `prod_${randomToken(14)}`,
  price: () => `price_${randomToken(24)}`,
  invoiceItem: () => `ii_${randomToken(24)}`,
  invoice: () => `in_${randomToken(24)}`,
  lineItem: () => `il_${randomToken(24)}`,
  request: () => `req_${randomToken(14)}`,
  account: () => `acct_${randomToken(16)}`,
};

/** A customer's default invoice prefix: eight upper-case letters and digits, like Stripe's. */
export function newInvoicePrefix(): string {
  return randomToken(24)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 8)
    .padEnd(8, 'X');
}
