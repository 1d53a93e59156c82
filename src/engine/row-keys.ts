import crypto from 'node:crypto';

/** A short, fixed-length digest of a row key, for idempotency keys and markers (row keys can be long). */
export function rowDigest(rowKey: string): string {
  return crypto.createHash('sha256').update(rowKey, 'utf8').digest('base64url').slice(0, 22);
}

/**
 * The Idempotency-Key of one step of one row: connection + row + key version + step. The same
 * attempt always sends the same key — across SDK retries, crash-resumes and overlapping runs — so
 * Stripe answers a repeat with the first result instead of creating a second object. Never change
 * this format: keys already sent must keep matching (Stripe keeps them about 24 hours).
 */
export function idempotencyKey(connectionId: string, rowKey: string, keyVersion: number, step: string): string {
  return `sluice_${connectionId}_${rowDigest(rowKey)}_v${keyVersion}_${step}`;
}

/** The value of the `sluice_row` metadata on every object a row creates: finds the object again. */
export function rowMarker(connectionId: string, rowKey: string): string {
  return `${connectionId}/${rowDigest(rowKey)}`;
}
