import { z } from 'zod';
import { keyHint, parseSecretKey } from '../receivers/stripe/client.js';
import { toStripeCallError } from '../receivers/stripe/stripe-error.js';
import * as store from '../store/accounts.js';
import { newId, nowIso } from '../store/ids.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

export const addAccountSchema = z
  .object({
    type: z.literal('stripe').default('stripe'),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    secretKey: z.string().trim().min(1, 'must not be empty').max(500),
  })
  .strict();

/** An account as the API shows it: never the key, only its hint. */
export interface AccountView {
  id: string;
  type: string;
  name: string;
  mode: 'test' | 'live';
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
    mode: a.mode,
    status: a.status,
    keyHint: a.key_hint,
    checkedAt: a.checked_at,
    lastError: a.last_error,
    createdAt: a.created_at,
  };
}

/**
 * Checks a key against Stripe with a cheap read that Sluice itself needs (listing customers): a
 * refused key (401), or a restricted key without that permission (403), makes the account inactive
 * with Stripe's reason. When Stripe cannot be reached the account is inactive too, saying so.
 */
async function checkKey(
  engine: Engine,
  account: store.AccountRecord,
): Promise<{ status: 'active' | 'inactive'; lastError: string | null }> {
  const { stripe, secretKey } = engine.stripeFor(account);
  try {
    await stripe.customers.list({ limit: 1 });
    return { status: 'active', lastError: null };
  } catch (error) {
    const e = toStripeCallError(error, secretKey);
    return { status: 'inactive', lastError: e.message };
  }
}

export async function addAccount(engine: Engine, body: unknown): Promise<AccountView> {
  const input = parseBody(addAccountSchema, body);
  const parsed = parseSecretKey(input.secretKey);
  if (!parsed.ok) throw new ApiError(400, parsed.error);
  const id = newId('acc');
  const now = nowIso();
  const record: store.AccountRecord = {
    id,
    type: 'stripe',
    name: input.name,
    mode: parsed.mode,
    status: 'inactive',
    key_hint: keyHint(input.secretKey),
    secret_sealed: engine.secrets.seal(input.secretKey, id),
    checked_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
  const check = await checkKey(engine, record);
  Object.assign(record, { status: check.status, last_error: check.lastError, checked_at: nowIso() });
  await store.insertAccount(engine.db, record);
  engine.log.info({ accountId: id, mode: record.mode, status: record.status }, 'account added');
  return accountView(record);
}

export async function checkAccount(engine: Engine, id: string): Promise<AccountView> {
  const account = await requireAccount(engine, id);
  const check = await checkKey(engine, account);
  const at = nowIso();
  await store.recordAccountCheck(engine.db, id, { ...check, at });
  return accountView({ ...account, status: check.status, last_error: check.lastError, checked_at: at });
}

/** Called when Stripe refuses the key during a run (401): the account shows it at once. */
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
  if (users > 0)
    throw new ApiError(409, `account ${id} is used by ${users} connection(s); delete them or move them to another account first`);
  await store.deleteAccount(engine.db, id);
}
