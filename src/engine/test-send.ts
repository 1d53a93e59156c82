import crypto from 'node:crypto';
import { z } from 'zod';
import type { ActionContext, StepResult } from '../receivers/stripe/action.js';
import { dashboardUrl } from '../receivers/stripe/client.js';
import { TEST_MARKER_KEY } from '../receivers/stripe/field-kit.js';
import { toStripeCallError, RowError } from '../receivers/stripe/stripe-error.js';
import { isPushSource } from '../sources/index.js';
import { getAccount } from '../store/accounts.js';
import { markAccountRefused } from './accounts.js';
import type { Engine } from './context.js';
import { requireConnection } from './connections.js';
import { ApiError } from './errors.js';
import { connectionAction, mapRow } from './mapping.js';
import { parseBody } from './parse-body.js';
import { sampleRows } from './preview.js';
import { defaultRetry, withRetry } from './retry.js';

const testBody = z
  .object({
    /** The row to send; without it, the source's first row (a webhook: its latest). */
    row: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * Sends one record to Stripe for real and reports the requests and Stripe's answer. It is a
 * deliberate extra object: its idempotency keys are fresh, it carries `sluice_test` metadata, and
 * no row of the ledger is marked sent — the row is still sent by the first run.
 */
export async function testSend(engine: Engine, id: string, body: unknown) {
  const connection = await requireConnection(engine, id);
  const o = parseBody(testBody, body);
  const plan = connectionAction(connection);
  if (!plan.ok) throw new ApiError(422, plan.error);
  const { action, mapping } = plan;
  const { rows } = await sampleRows(engine, connection, 1, o.row ? [o.row] : undefined);
  const row = rows[0];
  if (!row) throw new ApiError(422, 'there is no row to send: the source has no rows yet; give one as {"row": {…}}');
  const mapped = mapRow(action, mapping, row.fields, { missingAsEmpty: isPushSource(connection.source_type) });
  if (!mapped.ok) {
    throw new ApiError(422, `the row cannot be sent: ${mapped.errors.map((e) => e.message).join('; ')}`, mapped.errors);
  }
  const account = await getAccount(engine.db, connection.account_id);
  if (!account) throw new ApiError(422, `account ${connection.account_id} does not exist`);
  const { stripe, secretKey } = engine.stripeFor(account);
  const pacer = engine.pacerFor(account);
  const marker = { [TEST_MARKER_KEY]: connection.id };
  const nonce = crypto.randomBytes(8).toString('hex');
  const requests = action.plan(mapped.input, marker);
  const toError = (e: unknown) => toStripeCallError(e, secretKey);
  try {
    const ctx: ActionContext = {
      stripe,
      marker,
      step: <T extends StepResult>(name: string, fn: (key: string) => Promise<T>) =>
        withRetry(() => fn(`sluice_test_${connection.id}_${nonce}_${name}`), toError, defaultRetry, pacer),
      read: (fn) => withRetry(fn, toError, defaultRetry, pacer),
    };
    const result = action.test ? await action.test(mapped.input, ctx) : await action.run(mapped.input, ctx);
    return {
      row: { rowKey: row.key, fields: row.fields },
      requests,
      result: {
        ok: true,
        id: result.id,
        dashboardUrl: dashboardUrl(account.mode ?? 'test', result.id),
        ...(result.note && { note: result.note }),
        object: result.object,
      },
    };
  } catch (raw) {
    if (raw instanceof RowError)
      return { row: { rowKey: row.key, fields: row.fields }, requests, result: { ok: false, error: { message: raw.message } } };
    const e = toError(raw);
    if (e.kind === 'auth') await markAccountRefused(engine, account.id, e.message);
    const error = { message: e.message, ...e.details };
    return { row: { rowKey: row.key, fields: row.fields }, requests, result: { ok: false, error } };
  }
}
