import { z } from 'zod';
import { newId, nowIso } from '../store/ids.js';
import { findUserByEmail, hasAnyUser, insertOwnerIfNone } from '../store/users.js';
import type { Db } from '../store/db.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';
import { hashPassword, verifyDummyPassword, verifyPassword } from './password.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

// Stored trimmed and lower-cased: people type their address with a capital or a trailing space.
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'is longer than an email address can be (254 characters)')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@.]+$/, 'is not an email address; use one such as owner@example.com');

// Never echoed back: parse-body hides the value of any field named like a password.
const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

export const credentialsSchema = z.object({ email, password }).strict();

/** Login does not repeat the length rule: a short password is simply a wrong one. */
export const loginSchema = z
  .object({ email, password: z.string().min(1, 'must not be empty').max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`) })
  .strict();

export interface UserView {
  id: string;
  email: string;
}

/**
 * Creates the owner — only while no user exists, so the first person to open a fresh Sluice sets
 * it up and nobody can do so afterwards. The password is hashed before the insert, and the insert
 * checks again (atomically), so of two racing setups exactly one wins and the other gets 409.
 */
export async function setupOwner(db: Db, body: unknown): Promise<UserView> {
  const input = parseBody(credentialsSchema, body);
  // Checked before hashing too, so a stray setup on a set-up Sluice costs no scrypt work.
  if (await hasAnyUser(db)) throw ownerExists();
  const user = { id: newId('usr'), email: input.email, role: 'owner' as const, created_at: nowIso() };
  if (!(await insertOwnerIfNone(db, { ...user, password_hash: await hashPassword(input.password) }))) throw ownerExists();
  return { id: user.id, email: user.email };
}

const ownerExists = () => new ApiError(409, 'the owner already exists; log in instead');

export const WRONG_CREDENTIALS = 'wrong email or password';

/**
 * The user these credentials belong to, or a 401 that is the same for an unknown email and a wrong
 * password — in message and in time (an unknown email still costs one scrypt).
 */
export async function checkCredentials(db: Db, input: z.infer<typeof loginSchema>): Promise<UserView> {
  const user = await findUserByEmail(db, input.email);
  const ok = user ? await verifyPassword(input.password, user.password_hash) : await verifyDummyPassword(input.password);
  if (!user || !ok) throw new ApiError(401, WRONG_CREDENTIALS);
  return { id: user.id, email: user.email };
}
