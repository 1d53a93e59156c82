import type Stripe from 'stripe';
import { quote } from '../core/field-error.js';
import { CREATE_STEP, defineAction, type ActionContext, type StepResult, type StripeAction } from '../receivers/stripe/action.js';
import { INVOICE_KEY, type InvoiceRowInput } from '../receivers/stripe/actions/create-invoice-from-rows.js';
import { ROW_MARKER_KEY, type Fields } from '../receivers/stripe/field-kit.js';
import { findInList } from '../receivers/stripe/find-by-marker.js';
import { findOrCreateCustomer } from '../receivers/stripe/find-or-create-customer.js';
import {
  finalizeParams,
  groupHeader,
  invoiceParams,
  lineParams,
  MAX_INVOICE_LINES,
  type GroupHeader,
} from '../receivers/stripe/invoice-group.js';
import { RowError, toStripeCallError } from '../receivers/stripe/stripe-error.js';
import { joinErrors } from '../receivers/stripe/validate-input.js';
import {
  ensureInvoiceGroup,
  getInvoiceGroups,
  unfinishedInvoiceGroups,
  updateInvoiceGroup,
  type InvoiceGroupRecord,
} from '../store/invoice-groups.js';
import { failedRows, linkRowsToRun, pendingRows, recordRowOutcome, rowsOfGroup, setWriteBack, type RowRecord } from '../store/rows.js';
import { markAccountRefused } from './accounts.js';
import { mapRow, type MappedRow } from './mapping.js';
import { Pool } from './pool.js';
import { defaultRetry, withRetry } from './retry.js';
import { idempotencyKey, rowMarker } from './row-keys.js';
import { deliverRow, describeFailure, RunStopped, type RunOptions, type RunState } from './send-row.js';
import { describeStripeFailure } from './settle-ambiguous.js';
import { writeBackValues } from './write-back.js';

/** A group's error while its lines go on and until it is finalized and sent as asked. */
const IN_PROGRESS = 'not finished: its lines are being added';

/** A run lists at most this many waiting invoices in its warnings. */
const MAX_WARNINGS = 50;

/** A row of a group, mapped. */
interface GroupRow {
  row: RowRecord;
  input: InvoiceRowInput;
  /** How a person finds the row: `line 4`, or its row key. */
  label: string;
}

/** The line a row adds to its group's draft: sent through the engine's row machinery (its key, lookups, outcome). */
interface LineInput {
  row: InvoiceRowInput;
  customer: string;
  invoice: string;
}

/**
 * A row's line, as an action the row machinery (deliverRow) sends: its `create` step is the
 * invoice item, so an ambiguous one is looked for among the draft's lines by the row's marker
 * before anything is sent again.
 */
const invoiceLine = defineAction({
  key: 'stripe.create_invoice_from_rows#line',
  title: 'Invoice line',
  description: "Adds a row's line to its group's draft invoice.",
  fields: {},
  plan: () => [],
  async run(raw, ctx) {
    const input = raw as unknown as LineInput;
    let object: unknown;
    const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
      const item = await ctx.stripe.invoiceItems.create(lineParams(input.row, input.customer, input.invoice, ctx.marker), {
        idempotencyKey,
      });
      object = item;
      return item.id;
    });
    return { id, object };
  },
  find(marker, raw, ctx) {
    const input = raw as unknown as LineInput;
    // The draft's lines, listed: strongly consistent, and every candidate is seen.
    return findInList(
      ctx,
      () => ctx.stripe.invoiceItems.list({ invoice: input.invoice, limit: 100 }),
      marker,
      `the lines of ${input.invoice}`,
    );
  },
}) as unknown as StripeAction<Fields>;

const label = (row: RowRecord) => (row.line !== null ? `line ${row.line}` : `row ${quote(row.row_key, 40)}`);

/**
 * Sends a grouped action's pending rows (stripe.create_invoice_from_rows): rows sharing an invoice
 * key become one invoice, each row a line. A group is sent only when all of it can be: it waits
 * (its rows stay pending, outside the run) while one of its rows has an error — in the mapping, or
 * failed before and still in the source — or, when `ready` is mapped, until a row says yes. Each
 * group finds or creates its customer, makes its draft once (a look for the draft an interrupted
 * run made comes first), adds the lines not yet on it, and finalizes and sends it only when every
 * row of the group is a line on it. Returns the run's warnings (the groups that wait).
 *
 * `read` holds the keys of the rows this run read from a pull source: a row that failed earlier
 * and is still in the source holds its group back; one no longer read (deleted) does not. With
 * `readId` (a pull source's run), only the pending rows stamped with it are considered, as for
 * rows sent one by one (RowTable.read_id).
 */
export async function sendInvoiceGroups(
  state: RunState,
  o: RunOptions,
  read: ReadonlySet<string> | undefined,
  readId: string | undefined,
): Promise<string[]> {
  const { engine, connection, run } = state;
  const warnings: string[] = [];
  const warn = (text: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(text);
  };
  const map = (row: RowRecord) =>
    mapRow(state.action, state.mapping, JSON.parse(row.data) as Record<string, string>, { missingAsEmpty: state.push });
  const keyOf = (values: Record<string, string>) => values[INVOICE_KEY]?.trim() ?? '';

  const groups = new Map<string, GroupRow[]>();
  /** Why a group must wait: its rows with errors. */
  const blocked = new Map<string, string[]>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };

  const pending = await pendingRows(engine.db, connection.id, readId);
  const seen = new Set(pending.map((r) => r.id));
  for (const row of pending) {
    const mapped = map(row);
    const key = keyOf(mapped.values);
    if (!mapped.ok) {
      // The row fails on its own; the rest of its invoice waits for it to be fixed.
      await linkRowsToRun(engine.db, run.id, [row.id]);
      const error = joinErrors(mapped.errors);
      await recordRowOutcome(engine.db, { rowId: row.id, runId: run.id, status: 'failed', error });
      if (key) add(blocked, key, `${label(row)}: ${error}`);
      continue;
    }
    add(groups, key, { row, input: mapped.input as InvoiceRowInput, label: label(row) });
  }
  // The failed rows still in the source belong to their invoice too. One whose data is wrong holds
  // it back until fixed; one whose data is right (it failed with its whole invoice: rows that
  // disagreed, too many lines; or Stripe refused its line) goes again with the rows that brought
  // its invoice back, so that fixing one row is enough.
  if (read) {
    for (const row of await failedRows(engine.db, connection.id)) {
      if (seen.has(row.id) || !read.has(row.row_key)) continue;
      const mapped = map(row);
      const key = keyOf(mapped.values);
      if (!key) continue;
      if (!mapped.ok) add(blocked, key, `${label(row)}: ${joinErrors(mapped.errors)}`);
      else if (groups.has(key)) add(groups, key, { row, input: mapped.input as InvoiceRowInput, label: label(row) });
    }
    // Lines go on in the order of the rows (ids follow the source's order at intake).
    for (const rows of groups.values()) rows.sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
  }

  const waitsForReady = state.mapping.has('ready');
  const ready: [string, GroupRow[]][] = [];
  for (const [key, rows] of groups) {
    const why = blocked.get(key);
    if (why) {
      warn(
        `invoice ${quote(key)} waits: ${why.join('; ')}. Its ${rows.length} other row${rows.length === 1 ? '' : 's'} stay pending; fix the row in the source and the invoice is made with every line`,
      );
    } else if (waitsForReady && !rows.some((r) => r.input.ready === true)) {
      warn(`invoice ${quote(key)} waits for a row marked ready (${rows.length} line${rows.length === 1 ? '' : 's'} so far)`);
    } else ready.push([key, rows]);
  }
  // A group whose lines are all on its draft but whose finalize or send failed has no pending row
  // left to bring it back: it is finished by the next run (unless one of its rows failed since).
  for (const group of await unfinishedInvoiceGroups(engine.db, connection.id)) {
    if (!groups.has(group.group_key) && !blocked.has(group.group_key)) ready.push([group.group_key, []]);
  }

  const records = new Map(
    (
      await getInvoiceGroups(
        engine.db,
        connection.id,
        ready.map(([k]) => k),
      )
    ).map((g) => [g.group_key, g]),
  );
  const parallel = Math.max(1, Math.min(16, Math.ceil(state.pacer.limit / 4)));
  const pool = new Pool(parallel);
  const halted = () => pool.failed || o.signal?.aborted === true;
  for (const [key, rows] of ready) {
    await pool.slot();
    if (halted()) break;
    await linkRowsToRun(
      engine.db,
      run.id,
      rows.map((r) => r.row.id),
    );
    pool.start(() => sendGroup(state, key, rows, records.get(key), { halted, map, read }));
  }
  await pool.finish();
  if (o.signal?.aborted) throw new RunStopped('Sluice was shutting down; the rest of the rows stay pending');
  return warnings;
}

/** Fails every row of a group with the group's reason (nothing was sent for them). */
async function failRows(state: RunState, key: string, rows: readonly GroupRow[], error: string): Promise<void> {
  for (const r of rows) {
    await recordRowOutcome(state.engine.db, { rowId: r.row.id, runId: state.run.id, status: 'failed', error, groupKey: key });
  }
}

/** Why the group cannot take these rows, before anything is sent; undefined when it can. */
function refuseGroup(key: string, header: GroupHeader, group: InvoiceGroupRecord, rows: number): string | undefined {
  if (group.invoice_id && group.status && group.status !== 'draft') {
    return `invoice_key: the invoice for ${quote(key)} (${group.number ?? group.invoice_id}) is already finalized (${group.status}), and a finalized invoice takes no more lines; give these rows a new invoice key`;
  }
  const lines = group.lines + rows;
  if (lines > MAX_INVOICE_LINES) {
    return `invoice_key: ${quote(key)} would have ${lines} lines${group.lines ? ` (${group.lines} already on it)` : ''}; Stripe allows at most ${MAX_INVOICE_LINES} on one invoice — split it over several invoice keys`;
  }
  const email = header.customer.email;
  if (group.customer_email && email !== undefined && group.customer_email !== email) {
    return `customer_email: ${quote(email)} is not the customer of the invoice for ${quote(key)}, which was made for ${quote(group.customer_email)}; one invoice has one customer`;
  }
  return undefined;
}

/**
 * One group: its customer, its draft, the lines of `rows` (its rows not yet on the draft), then
 * finalize and send once every row of the group is a line. The invoice-level values come from all
 * of its rows, those already on the draft included, and must agree.
 */
async function sendGroup(
  state: RunState,
  key: string,
  rows: readonly GroupRow[],
  known: InvoiceGroupRecord | undefined,
  o: { halted: () => boolean; map: (row: RowRecord) => MappedRow<Record<string, unknown>>; read: ReadonlySet<string> | undefined },
): Promise<void> {
  const { engine, connection } = state;
  const earlier = (await rowsOfGroup(engine.db, connection.id, key, 'sent')).flatMap((row) => {
    const mapped = o.map(row);
    // A row already on the invoice keeps its line whatever its data says now.
    return mapped.ok ? [{ input: mapped.input as InvoiceRowInput, label: label(row) }] : [];
  });
  const header = groupHeader([...earlier, ...rows.map((r) => ({ input: r.input, label: r.label }))]);
  const group = known ?? (await ensureInvoiceGroup(engine.db, connection.id, key));
  const refused = header.ok ? refuseGroup(key, header.value, group, rows.length) : header.error;
  if (refused !== undefined || !header.ok) {
    await updateInvoiceGroup(engine.db, group.id, { error: refused });
    return failRows(state, key, rows, refused ?? '');
  }
  const ctx = groupContext(state, group);
  const stripe = state.stripe;

  let customer: string;
  let invoice: string;
  try {
    customer = (await findOrCreateCustomer(ctx, header.value.customer, { step: 'customer' })).id;
    await updateInvoiceGroup(engine.db, group.id, { customer_id: customer, customer_email: header.value.customer.email ?? null });
    invoice = await ctx.step('invoice', async (idempotencyKey) => {
      // An earlier attempt may have made the draft without Sluice hearing back, and Stripe forgets
      // keys after a day: the customer's invoices are looked through first (a strongly consistent list).
      const found = await findInList(
        ctx,
        () => stripe.invoices.list({ customer, limit: 100 }),
        ctx.marker[ROW_MARKER_KEY] ?? '',
        `the invoices of ${customer}`,
      );
      if (found.kind === 'found') return found.id;
      const made = await stripe.invoices.create(invoiceParams(await withCurrency(ctx, header.value, rows), customer, ctx.marker, key), {
        idempotencyKey,
      });
      return made.id as string;
    });
    // The error stays set until the group is finished: a process killed after the last line and
    // before finalize leaves no pending row to bring the group back, only this (unfinishedInvoiceGroups).
    await updateInvoiceGroup(engine.db, group.id, { invoice_id: invoice, status: group.status ?? 'draft', error: IN_PROGRESS });
  } catch (raw) {
    const error = toStripeCallError(raw, state.secretKey);
    if (error.kind === 'auth') {
      await markAccountRefused(engine, connection.account_id, error.message);
      throw new RunStopped(`Stripe refused the account's key: ${error.message}; the rows stay pending — check the account, then run again`);
    }
    const message =
      raw instanceof RowError
        ? raw.message
        : `the invoice for ${quote(key)} was not made: ${error.kind === 'ambiguous' ? `${describeStripeFailure(error)} — Stripe may or may not have made it; the next attempt looks for it first, so none is made twice` : describeFailure(error)}`;
    await updateInvoiceGroup(engine.db, group.id, { error: message, newKey: error.kind === 'refused' || raw instanceof RowError });
    return failRows(state, key, rows, message);
  }

  let left = 0;
  for (const r of rows) {
    if (o.halted()) {
      left++;
      continue;
    }
    const line: LineInput = { row: r.input, customer, invoice };
    await deliverRow(state, r.row, invoiceLine, line as unknown as Record<string, unknown>, { groupKey: key });
  }
  // Lines that failed, now or in an earlier run, hold the invoice back — unless the source no
  // longer has their row (deleted from the sheet). Without a read to tell (a push source, a retry
  // run), every failed line holds it back: finalizing would leave it off the invoice for good.
  const failed = (await rowsOfGroup(engine.db, connection.id, key, 'failed')).filter((r) => o.read?.has(r.row_key) ?? true).length;

  const sent = (await rowsOfGroup(engine.db, connection.id, key, 'sent')).map((r) => r.id);
  let error: string | null = null;
  let object: Stripe.Invoice | undefined;
  if (sent.length === 0 && left === 0) {
    // Not one line went on: the draft would stay empty. It goes, and the next attempt makes a new
    // one under new keys (the old key would replay the deleted draft).
    await ctx.read(() => stripe.invoices.del(invoice));
    await updateInvoiceGroup(engine.db, group.id, {
      invoice_id: null,
      status: null,
      progress: null,
      lines: 0,
      newKey: true,
      error: 'no line could be added, so the empty draft was deleted; the invoice is made when its lines can be',
    });
    return;
  }
  if (failed > 0 || left > 0) {
    error =
      failed > 0
        ? `not finished: ${failed} of its lines failed; the invoice is finished once they are sent (fix them in the source, or retry them)`
        : 'not finished: the run stopped before all its lines were added';
  } else {
    try {
      object = await finishInvoice(ctx, invoice, header.value);
    } catch (raw) {
      const e = toStripeCallError(raw, state.secretKey);
      if (e.kind === 'auth') {
        await markAccountRefused(engine, connection.account_id, e.message);
        throw new RunStopped(`Stripe refused the account's key: ${e.message}; the rows stay pending — check the account, then run again`);
      }
      error = `all ${sent.length} lines are on the draft, but ${header.value.send ? 'sending' : 'finalizing'} it failed: ${describeFailure(e)}; the next run tries again`;
    }
  }
  object ??= await ctx.read(() => stripe.invoices.retrieve(invoice)).catch(() => undefined);
  await updateInvoiceGroup(engine.db, group.id, {
    lines: sent.length,
    error,
    ...(object && {
      status: object.status ?? null,
      number: object.number ?? null,
      total: object.total ?? null,
      currency: object.currency ?? null,
      hosted_invoice_url: object.hosted_invoice_url ?? null,
    }),
  });
  if (state.writeBack && object) await setWriteBack(engine.db, sent, writeBackValues(state.writeBack, invoice, object));
}

/**
 * The header with the invoice's currency. Amount lines name it; when every line is priced by a
 * Price, it is the first Price's (a read): a draft made without one takes the customer's default
 * currency, and Stripe refuses lines in any other.
 */
async function withCurrency(ctx: ActionContext, header: GroupHeader, rows: readonly GroupRow[]): Promise<GroupHeader> {
  const price = rows.find((r) => r.input.price !== undefined)?.input.price;
  if (header.currency !== undefined || price === undefined) return header;
  const { currency } = await ctx.read(() => ctx.stripe.prices.retrieve(price));
  return { ...header, currency };
}

/**
 * Finalizes and sends the invoice as the group asks (each a remembered step). A finalize whose
 * answer was lost and whose key Stripe has since forgotten is refused as already finalized: the
 * invoice's own status then tells that the step is done.
 */
async function finishInvoice(ctx: ActionContext, invoice: string, header: GroupHeader): Promise<Stripe.Invoice | undefined> {
  let object: Stripe.Invoice | undefined;
  if (header.finalize) {
    await ctx.step('finalize', async (idempotencyKey) => {
      try {
        object = await ctx.stripe.invoices.finalizeInvoice(invoice, finalizeParams(header), { idempotencyKey });
      } catch (error) {
        const now = await ctx.read(() => ctx.stripe.invoices.retrieve(invoice));
        if (now.status === 'draft') throw error;
        object = now;
      }
      return true;
    });
  }
  if (header.send) {
    await ctx.step('send', async (idempotencyKey) => {
      object = await ctx.stripe.invoices.sendInvoice(invoice, {}, { idempotencyKey });
      return true;
    });
  }
  return object;
}

/**
 * The steps of a group, as a row's are: remembered in the group's record (progress) before the
 * next starts, each with an idempotency key of the connection, the group and its key version.
 */
function groupContext(state: RunState, group: InvoiceGroupRecord): ActionContext {
  const { engine, connection } = state;
  const progress = JSON.parse(group.progress ?? '{}') as Record<string, StepResult>;
  const groupRowKey = `invoice:${group.group_key}`;
  const toError = (e: unknown) => toStripeCallError(e, state.secretKey);
  return {
    stripe: state.stripe,
    marker: { [ROW_MARKER_KEY]: rowMarker(connection.id, groupRowKey) },
    async step<T extends StepResult>(name: string, fn: (key: string) => Promise<T>): Promise<T> {
      if (name in progress) return progress[name] as T;
      const key = idempotencyKey(connection.id, groupRowKey, group.key_version, name);
      const value = await withRetry(() => fn(key), toError, defaultRetry, state.pacer);
      progress[name] = value;
      await updateInvoiceGroup(engine.db, group.id, { progress: JSON.stringify(progress) });
      return value;
    },
    read: (fn) => withRetry(fn, toError, defaultRetry, state.pacer),
  };
}
