import type { Transaction } from 'kysely';
import type { AccountRecord } from '../store/accounts.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';

/**
 * The store writes of `sluice import`: records inserted with the ids they had, and overwritten by
 * id with --replace. Portable SQL (an upsert on the primary key), for SQLite and Postgres alike.
 */

/**
 * A transaction that engine code can be handed as its `Db`: store functions that open a
 * transaction of their own (intakeRows) run inside this one instead, since Kysely refuses to nest
 * them. That is what lets an import — accounts, connections and each pull connection's baseline,
 * which reads the source — be written all or nothing.
 */
export function joinTransaction(trx: Transaction<Database>): Db {
  const joined = { execute: <T>(work: (inner: Transaction<Database>) => Promise<T>): Promise<T> => work(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: its methods must run on the transaction itself.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function existing(db: Db, table: 'accounts' | 'connections', ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Which of these account ids the store has already. */
export const existingAccountIds = (db: Db, ids: readonly string[]) => existing(db, 'accounts', ids);

/** Which of these connection ids the store has already. */
export const existingConnectionIds = (db: Db, ids: readonly string[]) => existing(db, 'connections', ids);

/** The connections that hold these hook tokens: token → connection id. */
export async function hookTokenOwners(db: Db, tokens: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 500) {
    const rows = await db
      .selectFrom('connections')
      .select(['id', 'hook_token'])
      .where('hook_token', 'in', tokens.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.hook_token !== null) owners.set(r.hook_token, r.id);
  }
  return owners;
}

/** Writes an account with its id and sealed secret as given; with `replace`, over the one with that id. */
export async function putAccount(db: Db, account: AccountRecord, replace: boolean): Promise<void> {
  const { id: _id, ...rest } = account;
  await db
    .insertInto('accounts')
    .values(account)
    .$if(replace, (q) => q.onConflict((oc) => oc.column('id').doUpdateSet(rest)))
    .execute();
}

/**
 * Writes a connection with its id and hook token as given; with `replace`, over the one with that
 * id, whose runs and row ledger stay (they are that connection's history).
 */
export async function putConnection(db: Db, connection: ConnectionRecord, replace: boolean): Promise<void> {
  const { id: _id, ...rest } = connection;
  await db
    .insertInto('connections')
    .values(connection)
    .$if(replace, (q) => q.onConflict((oc) => oc.column('id').doUpdateSet(rest)))
    .execute();
}

/**
 * Gives the rows a baseline just recorded as skipped (those created since `since`) the reason that
 * applies to an import, and returns how many there are.
 */
export async function noteImportedBaseline(db: Db, connectionId: string, since: string, reason: string): Promise<number> {
  const r = await db
    .updateTable('rows')
    .set({ error: reason })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'skipped')
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
