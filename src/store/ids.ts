import crypto from 'node:crypto';
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/**
 * A new id: a readable prefix and a ULID, so ids sort by creation time (the row ledger and run
 * history list in that order) and say what they name (`run_01J…`). Never change a prefix: ids are
 * stored and shown to users.
 */
export function newId(prefix: 'acc' | 'con' | 'run' | 'row' | 'key' | 'usr' | 'ses' | 'grp' | 'stc'): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

/** An unguessable token (for webhook URLs): 24 random bytes, base64url. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export const nowIso = (now: Date = new Date()): string => now.toISOString();
