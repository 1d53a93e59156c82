import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { keyHint, parseSecretKey } from '../receivers/stripe/client.js';
import { toStripeCallError } from '../receivers/stripe/stripe-error.js';
import { parseServiceAccountKey } from '../sources/google-sheets/google-auth.js';
import * as store from '../store/accounts.js';
import { newId, nowIso } from '../store/ids.js';
import type { AccountType } from '../store/schema.js';
import type { Engine } from './context.js';
import { deletedConnectionsUsingAccount } from '../store/purge.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

const name = z.string().trim().min(1, 'must not be empty').max(200);

export const addAccountSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stripe'), name, secretKey: z.string().trim().min(1, 'must not be empty').max(500) }).strict(),
  z.object({ type: z.literal('google_service_account'), name, credentials: z.record(z.string(), z.unknown()) }).strict(),
]);

/** An account as the API shows it: never the secret, only a hint of it. */
export interface AccountView {
  id: string;
  type: AccountType;
  name: string;
  /** Stripe accounts: the key's mode. */
  mode?: 'test' | 'live';
  /** Google accounts: the address to share sheets with (service account) or that signed in (OAuth). */
  email?: string;
  status: 'active' | 'inactive';
  keyHint: string;
  checkedAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export function accountView(a: store.AccountRecord): AccountView {
  return {
    id: a.id,
    type: a.type,
    name: a.name,
    ...(a.mode && { mode: a.mode }),
    ...(a.email && { email: a.email }),
    status: a.status,
    keyHint: a.key_hint,
    checkedAt: a.checked_at,
    lastError: a.last_error,
    createdAt: a.created_at,
  };
}

type Check = { status: 'active' | 'inactive'; lastError: string | null };

/**
 * Checks an account against its service with a cheap call Sluice needs anyway. Stripe: listing
 * customers — a refused key (401), or a restricted key without that permission (403), makes the
 * account inactive with Stripe's reason. Google: obtaining an access token. When the service cannot
 * be reached the account is inactive too, saying so; checking again turns it active.
 */
async function check(engine: Engine, account: store.AccountRecord): Promise<Check> {
  if (account.type === 'stripe') {
    const { stripe, secretKey } = engine.stripeFor(account);
    try {
      await stripe.customers.list({ limit: 1 });
      return { status: 'active', lastError: null };
    } catch (error) {
      return { status: 'inactive', lastError: toStripeCallError(error, secretKey).message };
    }
  }
  const checked = await engine.google.check(account);
  return checked.ok ? { status: 'active', lastError: null } : { status: 'inactive', lastError: checked.error };
}

/** A new account record with its secret sealed; `checked` fills in its status. */
export function newAccountRecord(
  o: { type: AccountType; name: string; secret: string; hint: string; mode?: 'test' | 'live'; email?: string },
  seal: (secret: string, id: string) => string,
): store.AccountRecord {
  const id = newId('acc');
  const now = nowIso();
  return {
    id,
    type: o.type,
    name: o.name,
    mode: o.mode ?? null,
    email: o.email ?? null,
    status: 'inactive',
    key_hint: o.hint,
    secret_sealed: seal(o.secret, id),
    checked_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

/** Checks a new account and stores it, active or not: a refused key is kept as inactive, with the reason. */
export async function storeCheckedAccount(engine: Engine, record: store.AccountRecord): Promise<AccountView> {
  const checked = await check(engine, record);
  Object.assign(record, { status: checked.status, last_error: checked.lastError, checked_at: nowIso() });
  await store.insertAccount(engine.db, record);
  engine.log.info({ accountId: record.id, type: record.type, status: record.status }, 'account added');
  return accountView(record);
}

export async function addAccount(engine: Engine, body: unknown): Promise<AccountView> {
  // Stripe is the default type, as before Google accounts existed.
  const withType = typeof body === 'object' && body !== null && !('type' in body) ? { ...body, type: 'stripe' } : body;
  const input = parseBody(addAccountSchema, withType);
  const seal = (secret: string, id: string) => engine.secrets.seal(secret, id);
  if (input.type === 'stripe') {
    const parsed = parseSecretKey(input.secretKey);
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const record = newAccountRecord(
      { type: 'stripe', name: input.name, secret: input.secretKey, hint: keyHint(input.secretKey), mode: parsed.mode },
      seal,
    );
    return storeCheckedAccount(engine, record);
  }
  const key = parseServiceAccountKey(input.credentials);
  if (!key.ok) throw new ApiError(400, `credentials: ${key.error}`);
  const fingerprint = crypto.createHash('sha256').update(key.value.private_key).digest('hex').slice(0, 8);
  const record = newAccountRecord(
    {
      type: 'google_service_account',
      name: input.name,
      secret: JSON.stringify(input.credentials),
      hint: `key ${fingerprint}…`,
      email: key.value.client_email,
    },
    seal,
  );
  return storeCheckedAccount(engine, record);
}

export async function checkAccount(engine: Engine, id: string): Promise<AccountView> {
  const account = await requireAccount(engine, id);
  const checked = await check(engine, account);
  const at = nowIso();
  await store.recordAccountCheck(engine.db, id, { ...checked, at });
  return accountView({ ...account, status: checked.status, last_error: checked.lastError, checked_at: at });
}

/** Called when a service refuses the account during a run (Stripe's 401): the account shows it at once. */
export async function markAccountRefused(engine: Engine, id: string, reason: string): Promise<void> {
  await store.recordAccountCheck(engine.db, id, { status: 'inactive', lastError: reason, at: nowIso() });
}

export async function requireAccount(engine: Engine, id: string): Promise<store.AccountRecord> {
  const account = await store.getAccount(engine.db, id);
  if (!account) throw new ApiError(404, `account ${JSON.stringify(id)} does not exist`);
  return account;
}

export async function removeAccount(engine: Engine, id: string): Promise<void> {
  await requireAccount(engine, id);
  const users = await store.countConnectionsUsingAccount(engine.db, id);
  if (users > 0) {
    throw new ApiError(409, `account ${id} is used by ${users} connection(s); delete them or move them to another account first`);
  }
  // A deleted connection keeps its account until its rows are purged (its record points to it).
  // A small one is purged within milliseconds: wait a little for it rather than refuse at once.
  for (let waited = 0; (await deletedConnectionsUsingAccount(engine.db, id)) > 0; waited += 100) {
    if (waited >= 5000)
      throw new ApiError(409, `account ${id} was used by connections that are still being deleted; try again in a minute`);
    engine.wake();
    await sleep(100);
  }
  await store.deleteAccount(engine.db, id);
}
