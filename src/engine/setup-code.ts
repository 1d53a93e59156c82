import crypto from 'node:crypto';
import type { Db } from '../store/db.js';
import { newId, nowIso } from '../store/ids.js';
import { deleteSetupCode, insertSetupCode, listSetupCodes } from '../store/setup-codes.js';

/**
 * The one-time setup code. A Sluice that other machines can reach and that has no owner yet would
 * otherwise belong to whoever opens it first; with the code, only someone who can read the
 * server's log (who runs it) can create the owner through the web. `sluice owner create` needs no
 * code: it runs on the server.
 *
 * 16 characters of Crockford's base32 (no I, L, O or U, so nothing is misread), in groups of four:
 * 80 random bits, beyond guessing even without the rate limit on the setup route. Only its
 * sha256 is stored (a random code needs no slow hash), one row per process that printed one, so
 * on Postgres any process accepts any process's code; all go when the owner is made.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

/** A fresh code, e.g. `7KQM-2XR4-TB9P-HJ3W`. */
export function generateSetupCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[crypto.randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

/**
 * The code's characters as typed by a person, or undefined when it cannot be one: case, spaces and
 * dashes do not matter, and O, I and L are read as 0, 1 and 1 (Crockford's rule).
 */
export function normalizeSetupCode(input: string): string | undefined {
  const text = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return text.length === LENGTH && [...text].every((c) => ALPHABET.includes(c)) ? text : undefined;
}

const hashOf = (normalized: string) => crypto.createHash('sha256').update(normalized).digest();

/** Makes a code, keeps its hash in the store, and returns it (to be printed once, never again). */
export async function issueSetupCode(db: Db): Promise<{ id: string; code: string }> {
  const code = generateSetupCode();
  const id = newId('stc');
  await insertSetupCode(db, { id, code_hash: hashOf(normalizeSetupCode(code)!).toString('hex'), created_at: nowIso() });
  return { id, code };
}

/**
 * The id of the stored code `input` is, or undefined. Each stored hash is compared with
 * timingSafeEqual, all of them every time, so the answer's timing says nothing of how close a
 * guess came (hashing first already hides that; this keeps the comparison itself constant too).
 */
export async function findSetupCode(db: Db, input: string): Promise<string | undefined> {
  const normalized = normalizeSetupCode(input);
  const wanted = hashOf(normalized ?? '');
  let found: string | undefined;
  for (const row of await listSetupCodes(db)) {
    const stored = Buffer.from(row.code_hash, 'hex');
    if (stored.length === wanted.length && crypto.timingSafeEqual(stored, wanted) && normalized !== undefined) found = row.id;
  }
  return found;
}

/** Takes back a code this process printed (at its stop): it can then no longer be used. */
export async function withdrawSetupCode(db: Db, id: string): Promise<void> {
  await deleteSetupCode(db, id);
}
