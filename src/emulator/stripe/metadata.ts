import type { MetadataInput } from './schema.js';

/**
 * Stripe's metadata update rule: `metadata=` (null) clears every key, `metadata[k]=` removes one
 * key, any other value sets it; keys not mentioned are kept.
 */
export function applyMetadata(current: Record<string, string>, input: MetadataInput | null | undefined): Record<string, string> {
  if (input === undefined) return current;
  if (input === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
