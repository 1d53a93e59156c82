import qs from 'qs';

/**
 * Stripe's v1 form encoding, byte for byte as the official SDK sends it: bracket nesting
 * (`metadata[order]=A-17`), arrays by index (`preferred_locales[0]=uk`), brackets left readable.
 * The preview shows this exact body, so it must not drift from what the SDK sends (a test pins it
 * against what the emulator receives).
 */
export function encodeForm(params: Record<string, unknown>): string {
  return qs.stringify(params, { arrayFormat: 'indices', encodeValuesOnly: false }).replace(/%5B/g, '[').replace(/%5D/g, ']');
}
