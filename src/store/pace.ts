import { sql } from 'kysely';
import type { Db } from './db.js';

/** One account's shared pace, as the pacer last saw it. */
export interface PaceRow {
  /** The rate the last 429 left (the limit before any), requests per second. */
  base: number;
  /** When the last 429 halved the rate (epoch ms; 0 for never). */
  last_slowdown: number;
  throttled: number;
}

/** The row an account's shared pace lives in, made at the limit when first used. */
export async function ensurePace(db: Db, accountId: string, limit: number): Promise<void> {
  await db
    .insertInto('account_pace')
    .values({ account_id: accountId, base: limit, last_slowdown: 0, next_at: 0, throttled: 0 })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}

/** The allowed rate at `now` (ms), in SQL: the base plus a twentieth of the limit per whole second since the last 429. */
const rateSql = (limit: number, now: number) =>
  sql<number>`least(${limit}::float8, base + floor(greatest(0, ${now}::float8 - last_slowdown) / 1000) * ${limit / 20}::float8)`;

/**
 * Takes the account's next request slot (Postgres): one statement, row-locked, so processes that
 * take at once get consecutive slots. Returns when the request may go (epoch ms) and the pace.
 */
export async function takePaceSlot(db: Db, accountId: string, limit: number, now: number): Promise<PaceRow & { at: number }> {
  const { rows } = await sql<PaceRow & { at: number }>`
    with cur as (
      select greatest(next_at, ${now}::float8) as at, ${rateSql(limit, now)} as rate
      from account_pace where account_id = ${accountId} for update
    )
    update account_pace p set next_at = cur.at + 1000.0 / cur.rate
    from cur where p.account_id = ${accountId}
    returning cur.at as at, p.base, p.last_slowdown, p.throttled`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`the pace of account ${accountId} is missing`);
  return { at: Number(row.at), base: Number(row.base), last_slowdown: Number(row.last_slowdown), throttled: Number(row.throttled) };
}

/**
 * Stripe answered 429 (Postgres): halves the shared rate, once per half second however many
 * requests of however many processes saw it, and counts the 429.
 */
export async function slowPace(db: Db, accountId: string, limit: number, now: number): Promise<PaceRow> {
  const fresh = sql<boolean>`${now}::float8 - last_slowdown >= 500`;
  const halved = sql<number>`greatest(1, ${rateSql(limit, now)} / 2)`;
  const { rows } = await sql<PaceRow>`
    update account_pace set
      throttled = throttled + 1,
      next_at = case when ${fresh} then greatest(next_at, ${now}::float8 + 1000.0 / ${halved}) else next_at end,
      base = case when ${fresh} then ${halved} else base end,
      last_slowdown = case when ${fresh} then ${now}::float8 else last_slowdown end
    where account_id = ${accountId}
    returning base, last_slowdown, throttled`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`the pace of account ${accountId} is missing`);
  return { base: Number(row.base), last_slowdown: Number(row.last_slowdown), throttled: Number(row.throttled) };
}
