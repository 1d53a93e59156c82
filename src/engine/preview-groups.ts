import type Stripe from 'stripe';
import type { FieldError } from '../core/field-error.js';
import type { ActionContext, PlannedRequest } from '../receivers/stripe/action.js';
import { INVOICE_KEY, type InvoiceRowInput } from '../receivers/stripe/actions/create-invoice-from-rows.js';
import { ROW_MARKER_KEY } from '../receivers/stripe/field-kit.js';
import { lookupCustomers, type CustomerWanted } from '../receivers/stripe/find-or-create-customer.js';
import { groupHeader, lineAmount, MAX_INVOICE_LINES, planGroup } from '../receivers/stripe/invoice-group.js';
import { toStripeCallError } from '../receivers/stripe/stripe-error.js';
import { getAccount } from '../store/accounts.js';
import type { ConnectionRecord } from '../store/connections.js';
import { getInvoiceGroups, type InvoiceGroupRecord } from '../store/invoice-groups.js';
import type { Engine } from './context.js';
import type { PreviewRow } from './preview.js';
import { rowMarker } from './row-keys.js';

/** One invoice a run would make (or add lines to), as the preview shows it. */
export interface PreviewGroup {
  key: string;
  ok: boolean;
  /** Why the invoice cannot be made as it is: a bad row in it, rows that disagree, too many lines. */
  errors: FieldError[];
  rowKeys: string[];
  lines: {
    rowKey: string;
    line: number | null;
    description: string | null;
    amount: number | null;
    currency: string | null;
    price: string | null;
    quantity: number | null;
  }[];
  currency: string | null;
  /** In the currency's smallest unit; null when a line is priced by a Price (Stripe knows its amount). */
  total: number | null;
  customer: {
    email: string | null;
    name: string | null;
    key: string | null;
    /** `found`: an existing customer is used; `create`: none has this email (or key), one is made; `unknown`: not checked. */
    outcome: 'found' | 'create' | 'unknown';
    id?: string;
    note?: string;
  };
  finalize: boolean;
  send: boolean;
  /** Why the invoice is not made yet (no row marked ready). */
  waiting?: string;
  /** The invoice Sluice already made for this key: rows join it while it is a draft. */
  existing?: { invoiceId: string; number: string | null; status: string | null; lines: number };
  requests: PlannedRequest[];
}

/** How many customers a preview looks up in Stripe at most (reads only; one per invoice shown). */
const MAX_LOOKUPS = 10;

/**
 * The invoices the previewed rows make: rows grouped by their invoice key, each group's lines and
 * total, whether its customer will be found or created (a read of Stripe, never a write), what
 * already exists for the key, and the exact requests. `rows` are the preview's mapped rows.
 */
export async function previewGroups(
  engine: Engine,
  connection: ConnectionRecord,
  rows: readonly (PreviewRow & { input?: Record<string, unknown> })[],
  o: { limit: number; waitsForReady: boolean },
): Promise<PreviewGroup[]> {
  const byKey = new Map<string, (PreviewRow & { input?: Record<string, unknown> })[]>();
  for (const row of rows) {
    const key = row.values[INVOICE_KEY]?.trim();
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const shown = [...byKey].slice(0, o.limit);
  const records = new Map(
    (
      await getInvoiceGroups(
        engine.db,
        connection.id,
        shown.map(([k]) => k),
      )
    ).map((g) => [g.group_key, g]),
  );
  const lookup = await customerLookup(engine, connection);
  const groups: PreviewGroup[] = [];
  for (const [key, members] of shown) {
    const good = members.filter((r) => r.ok && r.input).map((r) => ({ row: r, input: r.input as InvoiceRowInput }));
    const errors: FieldError[] = members
      .filter((r) => !r.ok)
      .map((r) => ({
        field: '(row)',
        message: `${r.line !== undefined ? `line ${r.line}` : `row ${r.rowKey}`}: ${r.errors.map((e) => e.message).join('; ')}`,
      }));
    const header = groupHeader(good.map((g) => ({ input: g.input, ...(g.row.line !== undefined && { label: `line ${g.row.line}` }) })));
    // groupHeader's errors start with the field they are about (`currency: the rows … disagree`).
    if (!header.ok) errors.push({ field: /^[a-z_]+(?=:)/.exec(header.error)?.[0] ?? INVOICE_KEY, message: header.error });
    const record = records.get(key);
    const lineCount = (record?.lines ?? 0) + members.length;
    if (lineCount > MAX_INVOICE_LINES) {
      errors.push({
        field: INVOICE_KEY,
        message: `invoice_key: ${JSON.stringify(key)} would have ${lineCount} lines; Stripe allows at most ${MAX_INVOICE_LINES} on one invoice`,
      });
    }
    if (record?.invoice_id && record.status && record.status !== 'draft') {
      errors.push({
        field: INVOICE_KEY,
        message: `invoice_key: the invoice for ${JSON.stringify(key)} (${record.number ?? record.invoice_id}) is already finalized; a finalized invoice takes no more lines`,
      });
    }
    const wanted = header.ok ? header.value.customer : undefined;
    const customer = wanted ? await lookup(wanted, record) : undefined;
    const lines = good.map(({ row, input }) => ({
      rowKey: row.rowKey,
      line: row.line ?? null,
      description: input.description ?? null,
      amount: lineAmount(input),
      currency: input.price === undefined ? (input.currency ?? null) : null,
      price: input.price ?? null,
      quantity: input.quantity ?? null,
    }));
    const priced = lines.some((l) => l.amount === null);
    const groupMarker = { [ROW_MARKER_KEY]: rowMarker(connection.id, `invoice:${key}`) };
    groups.push({
      key,
      ok: errors.length === 0,
      errors,
      rowKeys: members.map((r) => r.rowKey),
      lines,
      currency: header.ok ? (header.value.currency ?? null) : null,
      total: priced ? null : lines.reduce((sum, l) => sum + (l.amount ?? 0), 0),
      customer: {
        email: wanted?.email ?? null,
        name: (wanted?.create.name as string | undefined) ?? null,
        key: wanted?.key ?? null,
        ...(customer ?? { outcome: 'unknown' as const, note: 'the rows do not name one customer' }),
      },
      finalize: header.ok && header.value.finalize,
      send: header.ok && header.value.send,
      ...(o.waitsForReady && !good.some((g) => g.input.ready === true) && { waiting: 'waits for a row marked ready' }),
      ...(record?.invoice_id && {
        existing: { invoiceId: record.invoice_id, number: record.number, status: record.status, lines: record.lines },
      }),
      requests:
        header.ok && errors.length === 0
          ? planGroup(
              header.value,
              good.map((g) => ({ input: g.input, marker: { [ROW_MARKER_KEY]: rowMarker(connection.id, g.row.rowKey) } })),
              {
                groupMarker,
                key,
                ...((record?.customer_id ?? customer?.id) && { customerId: record?.customer_id ?? customer?.id }),
                ...(record?.invoice_id && { invoiceId: record.invoice_id }),
              },
            )
          : [],
    });
  }
  return groups;
}

type CustomerOutcome = Pick<PreviewGroup['customer'], 'outcome' | 'id' | 'note'>;

/**
 * Says whether each group's customer exists, by the reads a run makes first (the email list, or
 * search by customer_key): reads only, at most MAX_LOOKUPS, each customer once. A customer the
 * group already has is not looked up again.
 */
async function customerLookup(engine: Engine, connection: ConnectionRecord) {
  const account = await getAccount(engine.db, connection.account_id);
  const client = account ? engine.stripeFor(account) : undefined;
  const seen = new Map<string, Promise<CustomerOutcome>>();
  return async (wanted: CustomerWanted, record: InvoiceGroupRecord | undefined): Promise<CustomerOutcome> => {
    if (record?.customer_id) return { outcome: 'found', id: record.customer_id };
    if (!client) return { outcome: 'unknown', note: 'the connection has no Stripe account' };
    const id = wanted.key !== undefined ? `key:${wanted.key}` : `email:${wanted.email ?? ''}`;
    let answer = seen.get(id);
    if (!answer) {
      if (seen.size >= MAX_LOOKUPS) return { outcome: 'unknown', note: `the preview looks up the first ${MAX_LOOKUPS} customers only` };
      answer = findCustomer(client.stripe, wanted).catch((error: unknown) => ({
        outcome: 'unknown' as const,
        note: `could not check: ${toStripeCallError(error, client.secretKey).message}`,
      }));
      seen.set(id, answer);
    }
    return answer;
  };
}

/** The run's own lookup (find-or-create-customer.ts), through a context that can only read. */
async function findCustomer(stripe: Stripe, wanted: CustomerWanted): Promise<CustomerOutcome> {
  const readOnly: ActionContext = {
    stripe,
    marker: {},
    step: () => Promise.reject(new Error('the preview writes nothing')),
    read: (fn) => fn(),
  };
  const found = (await lookupCustomers(readOnly, wanted))[0];
  return found ? { outcome: 'found', id: found.id } : { outcome: 'create' };
}
