import { quote } from '../core/field-error.js';
import { flattenFields } from '../core/flatten.js';
import { findConnectionByHookToken, type ConnectionRecord } from '../store/connections.js';
import { newId } from '../store/ids.js';
import { intakeRowsIn } from '../store/rows.js';
import { ensureQueuedRun } from '../store/runs.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';

const UNKNOWN_HOOK = 'no connection has this hook URL';

/**
 * Refuses a post to a hook URL no connection has, from its token alone — before its body is read,
 * so that a stranger cannot hold the server's memory or a connection with a body nobody wants.
 */
export async function refuseUnknownHook(engine: Engine, token: string): Promise<void> {
  if (!(await findConnectionByHookToken(engine.db, token))) throw new ApiError(404, UNKNOWN_HOOK);
}

/**
 * Takes in one webhook post. The row is committed to the ledger, together with a queued run that
 * will deliver it, before the sender is answered (invariant 2): once the answer is 2xx, the row
 * survives a crash and is delivered at the next start at the latest.
 *
 * The row key is the sender's `Idempotency-Key` header when it gives one, so a sender that retries
 * a post it is unsure of does not make a second row; otherwise every post is a new row.
 */
export async function acceptWebhookPost(
  engine: Engine,
  token: string,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<{ connection: ConnectionRecord; rowKey: string; duplicate: boolean }> {
  const connection = await findConnectionByHookToken(engine.db, token);
  // Looked up again: the connection may have been deleted while the body arrived.
  if (!connection) throw new ApiError(404, UNKNOWN_HOOK);
  if (body === undefined || body === null) throw new ApiError(400, 'the body is empty; send the row as a JSON object or as form fields');
  const fields = flattenFields(body);
  if (!fields.ok) throw new ApiError(400, `the body cannot be taken as a row: ${fields.error}`);
  if (Object.keys(fields.value).length === 0)
    throw new ApiError(400, 'the body has no fields; send at least one, e.g. {"email": "ada@example.com"}');
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new ApiError(400, `Idempotency-Key: ${quote(idempotencyKey)} is not allowed; it must be 1 to 255 visible ASCII characters`);
  }
  const rowKey = idempotencyKey ? `key:${idempotencyKey}` : `post:${newId('row').slice(4)}`;
  const duplicate = await engine.db.transaction().execute(async (trx) => {
    const added = await intakeRowsIn(trx, connection.id, [{ key: rowKey, fields: fields.value }]);
    if (added > 0) await ensureQueuedRun(trx, connection.id, 'webhook');
    return added === 0;
  });
  engine.wake();
  return { connection, rowKey, duplicate };
}
