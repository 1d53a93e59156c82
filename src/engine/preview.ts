import { z } from 'zod';
import type { FieldError } from '../core/field-error.js';
import type { PlannedRequest } from '../receivers/stripe/action.js';
import { ROW_MARKER_KEY } from '../receivers/stripe/field-kit.js';
import { isPushSource } from '../sources/index.js';
import { openPullSource } from './source-context.js';
import type { SourceRow } from '../sources/source-row.js';
import type { ConnectionRecord } from '../store/connections.js';
import { latestRows, ledgerStates } from '../store/rows.js';
import type { Engine } from './context.js';
import { requireConnection } from './connections.js';
import { ApiError } from './errors.js';
import { connectionAction, mapRow } from './mapping.js';
import { parseBody } from './parse-body.js';
import { rowMarker } from './row-keys.js';
import { previewGroups } from './preview-groups.js';
import { INVOICE_KEY } from '../receivers/stripe/actions/create-invoice-from-rows.js';

export const previewBody = z
  .object({
    limit: z.number().int().min(1).max(10).default(10),
    /** Rows to preview instead of the source's (for a webhook before anything was posted). */
    rows: z.array(z.record(z.string(), z.string())).max(10).optional(),
  })
  .strict();

export interface PreviewRow {
  rowKey: string;
  line?: number;
  fields: Record<string, string>;
  /** The mapped values, as text, per action field. */
  values: Record<string, string>;
  ok: boolean;
  errors: FieldError[];
  /** The exact requests the row would send, in order. */
  requests: PlannedRequest[];
  /** What the ledger says of this row already: a sent row is not sent again. */
  ledger?: { status: string; stripeId: string | null };
}

/** The rows a preview or a test send works on: given ones, the source's first, or a webhook's latest. */
export async function sampleRows(
  engine: Engine,
  connection: ConnectionRecord,
  limit: number,
  given?: Record<string, string>[],
): Promise<{ columns: string[]; rows: SourceRow[] }> {
  if (given) return { columns: Object.keys(given[0] ?? {}), rows: given.map((fields, i) => ({ key: `given:${i + 1}`, fields })) };
  const opened = await openPullSource(engine, connection);
  if (opened) {
    try {
      const sample = await opened.source.sample(opened.settings, opened.ctx, limit);
      // A row without a key of its own is shown with the key it gets when it is new.
      return { columns: sample.columns, rows: sample.rows.map((r) => (r.key ? r : { ...r, key: `h:${r.hash ?? ''}` })) };
    } catch (error) {
      throw new ApiError(422, `source: ${(error as Error).message}`);
    }
  }
  const latest = await latestRows(engine.db, connection.id, limit);
  const rows = latest.map((r) => ({ key: r.row_key, fields: JSON.parse(r.data) as Record<string, string> }));
  return { columns: Object.keys(rows[0]?.fields ?? {}), rows };
}

/** How many rows a grouped preview reads to find its first invoices' lines. */
const GROUPED_SAMPLE = 500;

/**
 * What a run would send for the first rows, without sending or recording anything (invariant 3):
 * no Stripe write, no ledger write, no source cursor moved. Reads the ledger only to say which rows
 * were already sent. A grouped action (invoices from rows) shows its first `limit` invoices, each
 * with its rows, lines, total and customer — looked up in Stripe with reads only, to say whether it
 * will be found or created.
 */
export async function previewConnection(engine: Engine, id: string, body: unknown) {
  const connection = await requireConnection(engine, id);
  const o = parseBody(previewBody, body);
  const plan = connectionAction(connection);
  if (!plan.ok) throw new ApiError(422, plan.error);
  const { action, mapping } = plan;
  const grouped = action.grouped !== undefined;
  const { columns, rows } = await sampleRows(engine, connection, grouped ? GROUPED_SAMPLE : o.limit, o.rows);
  const ledger = await ledgerStates(
    engine.db,
    connection.id,
    rows.map((r) => r.key),
  );
  const byKey = new Map(ledger.map((l) => [l.row_key, l]));
  const preview = rows.slice(0, grouped ? GROUPED_SAMPLE : o.limit).map((row) => {
    const mapped = mapRow(action, mapping, row.fields, { missingAsEmpty: isPushSource(connection.source_type) });
    const known = byKey.get(row.key);
    const base = {
      rowKey: row.key,
      ...(row.line !== undefined && { line: row.line }),
      fields: row.fields,
      values: mapped.values,
      ...(known && { ledger: { status: known.status, stripeId: known.stripe_id } }),
    };
    if (row.error) return { ...base, ok: false, errors: [{ field: '(row)', message: row.error }], requests: [] };
    if (!mapped.ok) return { ...base, ok: false, errors: mapped.errors, requests: [] };
    // A grouped row's requests are its invoice's, shown with the group.
    if (grouped) return { ...base, ok: true, errors: [], requests: [], input: mapped.input };
    const requests = action.plan(mapped.input, { [ROW_MARKER_KEY]: rowMarker(connection.id, row.key) });
    return { ...base, ok: true, errors: [], requests };
  });
  if (!grouped) return { connectionId: connection.id, action: action.key, columns, rows: preview as PreviewRow[] };

  // Rows already sent are on their invoices: the preview shows what a run would still send.
  const unsent = preview.filter((r) => r.ledger?.status !== 'sent' && r.ledger?.status !== 'skipped');
  const groups = await previewGroups(engine, connection, unsent, { limit: o.limit, waitsForReady: mapping.has('ready') });
  const shownKeys = new Set(groups.flatMap((g) => g.rowKeys));
  return {
    connectionId: connection.id,
    action: action.key,
    columns,
    rows: preview
      .filter((r) => shownKeys.has(r.rowKey) || !r.values[INVOICE_KEY]?.trim())
      .slice(0, 250)
      .map(({ input: _input, ...row }: PreviewRow & { input?: unknown }) => row),
    groups,
  };
}
