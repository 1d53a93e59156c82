import { z } from 'zod';
import { newId, nowIso } from '../store/ids.js';
import { findUserByEmail, hasAnyUser, insertOwnerIfNone } from '../store/users.js';
import { deleteAllSetupCodes, deleteSetupCode } from '../store/setup-codes.js';
import type { Db } from '../store/db.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';
import { hashPassword, verifyDummyPassword, verifyPassword } from './password.js';
import { findSetupCode } from './setup-code.js';

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

/** What the first-start page sends: the credentials, and the setup code where one is needed. */
const setupSchema = credentialsSchema.extend({ setupCode: z.string().max(100, 'is longer than a setup code').optional() }).strict();

/** Where the code is found, said in every refusal so the operator knows where to look. */
const WHERE_THE_CODE_IS =
  'the one-time setup code is printed in the server\'s log at start (look for "setup code"; with Docker Compose: docker compose logs serve), or create the owner on the server with `sluice owner create`';

export const SETUP_CODE_MISSING = `setupCode: is required, since this Sluice can be reached from other machines; ${WHERE_THE_CODE_IS}`;
export const SETUP_CODE_WRONG = `setupCode: the code is wrong or was used already; ${WHERE_THE_CODE_IS}`;

const codeRefused = (message: string) => new ApiError(403, message, [{ field: 'setupCode', message }]);

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
 *
 * With `setupCodeRequired` (a Sluice other machines can reach, setup-code.ts) the body's
 * `setupCode` must be one of the stored codes. It is used up in the transaction that inserts the
 * owner, so a setup refused for another reason (a short password) leaves it usable, and of two
 * setups with one code only one gets past its delete; every other code goes with it.
 */
export async function setupOwner(db: Db, body: unknown, o: { setupCodeRequired?: boolean } = {}): Promise<UserView> {
  const input = parseBody(setupSchema, body);
  // Checked before hashing too, so a stray setup on a set-up Sluice costs no scrypt work.
  if (await hasAnyUser(db)) throw ownerExists();
  let codeId: string | undefined;
  if (o.setupCodeRequired) {
    if (input.setupCode === undefined || input.setupCode.trim() === '') throw codeRefused(SETUP_CODE_MISSING);
    codeId = await findSetupCode(db, input.setupCode);
    if (codeId === undefined) throw codeRefused(SETUP_CODE_WRONG);
  }
  const user = { id: newId('usr'), email: input.email, role: 'owner' as const, created_at: nowIso() };
  const owner = { ...user, password_hash: await hashPassword(input.password) };
  await db.transaction().execute(async (trx) => {
    if (codeId !== undefined && !(await deleteSetupCode(trx, codeId))) throw codeRefused(SETUP_CODE_WRONG);
    if (!(await insertOwnerIfNone(trx, owner))) throw ownerExists();
    await deleteAllSetupCodes(trx);
  });
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
