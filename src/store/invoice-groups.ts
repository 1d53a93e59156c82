import type { Selectable, Updateable } from 'kysely';
import type { Db } from './db.js';
import { newId, nowIso } from './ids.js';
import type { InvoiceGroupTable } from './schema.js';

export type InvoiceGroupRecord = Selectable<InvoiceGroupTable>;

/** The groups of a connection with these invoice keys (those that have been handled before). */
export async function getInvoiceGroups(db: Db, connectionId: string, keys: readonly string[]): Promise<InvoiceGroupRecord[]> {
  const found: InvoiceGroupRecord[] = [];
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < keys.length; i += 200) {
    found.push(
      ...(await db
        .selectFrom('invoice_groups')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('group_key', 'in', keys.slice(i, i + 200))
        .execute()),
    );
  }
  return found;
}

/**
 * The group of this key, made when first handled. Insert-or-read under the unique index, so two
 * runs that race (they cannot on one connection, but a process may resume another's run) share one.
 */
export async function ensureInvoiceGroup(db: Db, connectionId: string, groupKey: string): Promise<InvoiceGroupRecord> {
  const now = nowIso();
  await db
    .insertInto('invoice_groups')
    .values({
      id: newId('grp'),
      connection_id: connectionId,
      group_key: groupKey,
      progress: null,
      customer_id: null,
      customer_email: null,
      invoice_id: null,
      number: null,
      status: null,
      total: null,
      currency: null,
      hosted_invoice_url: null,
      error: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['connection_id', 'group_key']).doNothing())
    .execute();
  return db
    .selectFrom('invoice_groups')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('group_key', '=', groupKey)
    .executeTakeFirstOrThrow();
}

export type InvoiceGroupChange = Omit<
  Updateable<InvoiceGroupTable>,
  'id' | 'connection_id' | 'group_key' | 'created_at' | 'updated_at' | 'key_version'
> & {
  /** Stripe surely made nothing with the group's keys: the next attempt uses new ones. */
  newKey?: boolean;
};

export async function updateInvoiceGroup(db: Db, id: string, change: InvoiceGroupChange): Promise<void> {
  const { newKey, ...set } = change;
  await db
    .updateTable('invoice_groups')
    .set((eb) => ({ ...set, ...(newKey && { key_version: eb('key_version', '+', 1) }), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
}

/**
 * Groups left unfinished with a draft: a finalize or send failed, or the process stopped between
 * the last line and the finalize (their error is set until they are finished, their invoice still
 * a draft). Drafts left as drafts by choice, once finished, have no error.
 */
export async function unfinishedInvoiceGroups(db: Db, connectionId: string): Promise<InvoiceGroupRecord[]> {
  return db
    .selectFrom('invoice_groups')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('invoice_id', 'is not', null)
    .where('status', '=', 'draft')
    .where('error', 'is not', null)
    .execute();
}

/** The groups whose rows a run handled (for the run's list of invoices), in the order they were first made. */
export async function invoiceGroupsOfRun(db: Db, runId: string): Promise<InvoiceGroupRecord[]> {
  return db
    .selectFrom('invoice_groups')
    .selectAll()
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('run_rows')
          .innerJoin('rows', 'rows.id', 'run_rows.row_id')
          .select('rows.id')
          .where('run_rows.run_id', '=', runId)
          .whereRef('rows.connection_id', '=', 'invoice_groups.connection_id')
          .whereRef('rows.group_key', '=', 'invoice_groups.group_key'),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
