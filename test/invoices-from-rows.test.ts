import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { csv, startHarness, type Harness, type RunBody } from './support/harness.js';

/**
 * stripe.create_invoice_from_rows: one row per order line, one invoice per order. Each group of
 * rows finds or creates its customer, makes one draft, adds each row as a line once, and is
 * finalized and sent only when every row of it is a line on it — never an empty invoice, never a
 * second one.
 */

let h: Harness;
let accountId: string;
let stripe: Stripe;

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  stripe = h.stripe();
});
after(() => h.close());

interface Invoice {
  id: string;
  customer: string;
  status: string;
  number: string | null;
  total: number;
  currency: string;
  hosted_invoice_url: string | null;
  metadata: Record<string, string>;
}
interface Item {
  id: string;
  customer: string;
  invoice: string | null;
  amount: number;
  description: string | null;
  metadata: Record<string, string>;
}
interface RunInvoice {
  key: string;
  invoiceId: string | null;
  number: string | null;
  status: string | null;
  total: number | null;
  currency: string | null;
  hostedInvoiceUrl: string | null;
  dashboardUrl: string | null;
  lines: number;
  error: string | null;
}
type GroupedRun = Omit<RunBody, 'rows'> & {
  invoices?: RunInvoice[];
  rows: (RunBody['rows'][number] & { invoiceKey?: string; note?: string })[];
};

const invoices = () => h.emulator.objects('invoice') as Invoice[];
const items = () => h.emulator.objects('invoiceitem') as Item[];
const customersWith = (email: string) =>
  (h.emulator.objects('customer') as { id: string; email: string | null }[]).filter((c) => c.email === email);
const posts = () => h.emulator.requests().filter((r) => r.method === 'POST').length;

const MAPPING = {
  invoice_key: '{{Order}}',
  customer_email: '{{Email}}',
  customer_name: '{{Name}}',
  amount: '{{Amount}}',
  currency: 'usd',
  description: '{{Item}}',
  collection_method: 'send_invoice',
  days_until_due: '14',
  finalize: 'yes',
  send: 'yes',
};

let n = 0;
/** Unique emails per test: the tests share one emulator. */
const unique = (name: string) => `${name}.${++n}.${Date.now()}@example.com`;

async function grouped(rows: Record<string, string>[], mapping: Record<string, string> = MAPPING) {
  return h.connection({
    name: `Orders ${++n}`,
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_invoice_from_rows',
    accountId,
    mapping,
  });
}
const run = (id: string) => h.run(id, 30_000) as Promise<GroupedRun>;
const setRows = async (id: string, rows: Record<string, string>[]) => {
  const res = await h.api('PATCH', `/api/connections/${id}`, { source: { type: 'csv', content: csv(rows) } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
};

test('several rows become one invoice per order: customers found or created, lines in order, finalized and sent', async () => {
  const ada = unique('ada');
  const bob = unique('bob');
  const existing = await stripe.customers.create({ email: ada, name: 'Ada (existing)' });
  const rows = [
    { Order: 'A-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '12.50' },
    { Order: 'B-1', Email: bob, Name: 'Bob', Item: 'Cake', Amount: '3' },
    { Order: 'A-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '1,25' },
    { Order: 'A-1', Email: ada, Name: 'Ada', Item: 'Sugar', Amount: '0.75' },
    { Order: 'B-1', Email: bob, Name: 'Bob', Item: 'Candle', Amount: '2.00' },
  ];
  const c = await grouped(rows);
  const r = await run(c.id);
  assert.equal(r.status, 'succeeded', JSON.stringify(r));
  assert.equal(r.counts.sent, 5);

  const mine = invoices().filter((i) => i.metadata.invoice_key === 'A-1' || i.metadata.invoice_key === 'B-1');
  const a = mine.find((i) => i.customer === existing.id);
  assert.ok(a, 'the order of an existing customer is invoiced to that customer');
  assert.equal(customersWith(ada).length, 1, 'the existing customer is found, not created again');
  assert.equal(customersWith(bob).length, 1, 'the missing customer is created once');
  const b = mine.find((i) => i.customer === customersWith(bob)[0]?.id);
  assert.ok(b);
  assert.equal(mine.length, 2);

  const linesOf = (invoice: string) => items().filter((i) => i.invoice === invoice);
  assert.deepEqual(
    linesOf(a.id).map((i) => [i.description, i.amount]),
    [
      ['Tea', 1250],
      ['Milk', 125],
      ['Sugar', 75],
    ],
  );
  assert.deepEqual(
    linesOf(b.id).map((i) => [i.description, i.amount]),
    [
      ['Cake', 300],
      ['Candle', 200],
    ],
  );
  const [finalA, finalB] = [await stripe.invoices.retrieve(a.id), await stripe.invoices.retrieve(b.id)];
  assert.equal(finalA.status, 'open');
  assert.equal(finalA.total, 1450);
  assert.equal(finalB.total, 500);
  assert.ok(finalA.number);

  // The run lists each invoice with its number, status, total and links; each row names its invoice.
  const listed = new Map((r.invoices ?? []).map((i) => [i.key, i]));
  assert.deepEqual(
    { ...listed.get('A-1'), dashboardUrl: undefined },
    {
      key: 'A-1',
      invoiceId: a.id,
      number: finalA.number,
      status: 'open',
      total: 1450,
      currency: 'usd',
      hostedInvoiceUrl: finalA.hosted_invoice_url,
      dashboardUrl: undefined,
      customerId: existing.id,
      lines: 3,
      error: null,
    },
  );
  assert.match(listed.get('B-1')?.dashboardUrl ?? '', /\/test\/invoices\/in_/);
  assert.deepEqual(r.rows.map((row) => row.invoiceKey).sort(), ['A-1', 'A-1', 'A-1', 'B-1', 'B-1']);

  // Running again sends nothing: every row is a line already.
  const before = posts();
  const again = await run(c.id);
  assert.equal(again.status, 'succeeded');
  assert.equal(again.counts.sent, 0);
  assert.equal(posts(), before);
});

test('the preview shows which rows make which invoice, its lines and total, and which customers are found or created; it writes nothing', async () => {
  const ada = unique('ada');
  const eve = unique('eve');
  const existing = await stripe.customers.create({ email: ada });
  const c = await grouped([
    { Order: 'P-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '12.50' },
    { Order: 'P-2', Email: eve, Name: 'Eve', Item: 'Pen', Amount: '2' },
    { Order: 'P-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '1.25' },
  ]);
  const before = posts();
  const { status, body } = await h.api<{ groups: Record<string, unknown>[]; rows: unknown[] }>(
    'POST',
    `/api/connections/${c.id}/preview`,
    {},
  );
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(posts(), before, 'the preview sent nothing');
  assert.equal(invoices().filter((i) => i.metadata.invoice_key?.startsWith('P-')).length, 0);

  const [p1, p2] = body.groups as {
    key: string;
    rowKeys: string[];
    total: number;
    currency: string;
    customer: { outcome: string; id?: string; email: string };
    lines: { description: string; amount: number }[];
    requests: { method: string; path: string; body?: string }[];
    ok: boolean;
  }[];
  assert.equal(p1?.key, 'P-1');
  assert.equal(p1.rowKeys.length, 2);
  assert.deepEqual(
    p1.lines.map((l) => [l.description, l.amount]),
    [
      ['Tea', 1250],
      ['Milk', 125],
    ],
  );
  assert.equal(p1.total, 1375);
  assert.equal(p1.currency, 'usd');
  assert.deepEqual({ outcome: p1.customer.outcome, id: p1.customer.id }, { outcome: 'found', id: existing.id });
  assert.equal(p2?.customer.outcome, 'create');
  assert.equal(p2.total, 200);
  // The exact requests, in order: the invoice on the found customer, two lines, finalize, send.
  const paths = p1.requests.map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`);
  assert.deepEqual(paths, [
    'GET /v1/invoices',
    'POST /v1/invoices',
    'POST /v1/invoiceitems',
    'POST /v1/invoiceitems',
    'POST /v1/invoices/<the new invoice>/finalize',
    'POST /v1/invoices/<the new invoice>/send',
  ]);
  assert.match(p1.requests[1]?.body ?? '', /pending_invoice_items_behavior=exclude/);
  assert.match(p1.requests[2]?.body ?? '', /amount=1250/);
});

test('rows of one invoice that disagree on its customer fail together, naming the field, both values and the rows', async () => {
  const ada = unique('ada');
  const bob = unique('bob');
  const c = await grouped([
    { Order: 'D-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1' },
    { Order: 'D-1', Email: bob, Name: 'Ada', Item: 'Milk', Amount: '2' },
  ]);
  const r = await run(c.id);
  assert.equal(r.status, 'failed');
  assert.equal(r.counts.failed, 2);
  const error = r.rows[0]?.error ?? '';
  assert.match(error, /^customer_email: the rows of one invoice disagree: line 2 has ".*ada.*", line 3 has ".*bob.*"/);
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'D-1').length, 0, 'nothing was made');
  assert.equal(r.invoices?.[0]?.error, error);

  // Fixing the one row that disagreed is enough: its sibling, failed with it, goes again with it.
  await setRows(c.id, [
    { Order: 'D-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1' },
    { Order: 'D-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '2' },
  ]);
  const fixed = await run(c.id);
  assert.equal(fixed.status, 'succeeded', JSON.stringify(fixed));
  assert.equal(fixed.counts.sent, 2);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'D-1');
  assert.equal(made.length, 1);
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 300);
});

test('a bad row holds its whole invoice back; once fixed in the source, the invoice is made with every line', async () => {
  const ada = unique('ada');
  const rows = [
    { Order: 'E-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00' },
    { Order: 'E-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '12,5O' },
    { Order: 'E-1', Email: ada, Name: 'Ada', Item: 'Sugar', Amount: '3.00' },
  ];
  const c = await grouped(rows);
  const first = await run(c.id);
  assert.equal(first.counts.failed, 1);
  assert.equal(first.counts.sent, 0);
  assert.match(first.rows.find((x) => x.status === 'failed')?.error ?? '', /amount: "12,5O"/);
  assert.match(first.warnings.join('\n'), /invoice "E-1" waits: line 3: amount: "12,5O".*Its 2 other rows stay pending/);
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'E-1').length, 0, 'no invoice with a line missing');

  // The other rows wait: another run does not invoice them without the bad row.
  const second = await run(c.id);
  assert.equal(second.counts.sent, 0);
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'E-1').length, 0);

  await setRows(
    c.id,
    rows.map((row) => (row.Item === 'Milk' ? { ...row, Amount: '12.50' } : row)),
  );
  const fixed = await run(c.id);
  assert.equal(fixed.status, 'succeeded', JSON.stringify(fixed));
  assert.equal(fixed.counts.sent, 3);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'E-1');
  assert.equal(made.length, 1);
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 1650);
});

test('a draft takes later rows with its key; a finalized invoice refuses them with a clear error', async () => {
  const ada = unique('ada');
  const draftMapping = { ...MAPPING, finalize: 'no', send: 'no' };
  const rows = [{ Order: 'F-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00' }];
  const c = await grouped(rows, draftMapping);
  assert.equal((await run(c.id)).counts.sent, 1);
  const more = [...rows, { Order: 'F-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '2.00' }];
  await setRows(c.id, more);
  const second = await run(c.id);
  assert.equal(second.counts.sent, 1);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'F-1');
  assert.equal(made.length, 1, 'the later row joined the same draft');
  assert.equal(items().filter((i) => i.invoice === made[0]?.id).length, 2);
  assert.equal(made[0]?.status, 'draft');

  // The same with finalize: a third row after the invoice is final cannot join it.
  const bob = unique('bob');
  const finalRows = [{ Order: 'F-2', Email: bob, Name: 'Bob', Item: 'Tea', Amount: '1.00' }];
  const f = await grouped(finalRows);
  assert.equal((await run(f.id)).status, 'succeeded');
  await setRows(f.id, [...finalRows, { Order: 'F-2', Email: bob, Name: 'Bob', Item: 'Late', Amount: '5.00' }]);
  const late = await run(f.id);
  assert.equal(late.counts.failed, 1);
  assert.match(
    late.rows[0]?.error ?? '',
    /^invoice_key: the invoice for "F-2" \(.+\) is already finalized \(open\), and a finalized invoice takes no more lines/,
  );
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'F-2').length, 1, 'no second invoice');
});

test('with a ready column, an order is invoiced only once one of its rows says it is complete', async () => {
  const ada = unique('ada');
  const mapping = { ...MAPPING, ready: '{{Done}}' };
  const rows = [
    { Order: 'G-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00', Done: '' },
    { Order: 'G-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '2.00', Done: 'no' },
  ];
  const c = await grouped(rows, mapping);
  const waiting = await run(c.id);
  assert.equal(waiting.counts.sent, 0);
  assert.match(waiting.warnings.join('\n'), /invoice "G-1" waits for a row marked ready \(2 lines so far\)/);
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'G-1').length, 0);

  await setRows(c.id, [...rows, { Order: 'G-1', Email: ada, Name: 'Ada', Item: 'Sugar', Amount: '3.00', Done: 'yes' }]);
  const done = await run(c.id);
  assert.equal(done.counts.sent, 3);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'G-1');
  assert.equal(made.length, 1);
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 600);
});

test('more than 250 lines for one invoice is a clear error for that invoice, and nothing of it is made', async () => {
  const ada = unique('ada');
  const bob = unique('bob');
  const rows = [
    ...Array.from({ length: 251 }, (_, i) => ({ Order: 'H-1', Email: ada, Name: 'Ada', Item: `Item ${i + 1}`, Amount: '1' })),
    { Order: 'H-2', Email: bob, Name: 'Bob', Item: 'Tea', Amount: '1' },
  ];
  const c = await grouped(rows);
  const r = await run(c.id);
  assert.equal(r.counts.failed, 251);
  assert.equal(r.counts.sent, 1, 'the other invoice is made');
  assert.match(
    r.rows.find((x) => x.status === 'failed')?.error ?? '',
    /^invoice_key: "H-1" would have 251 lines; Stripe allows at most 250 on one invoice/,
  );
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'H-1').length, 0);
});

test('a line Stripe refuses leaves the draft unfinished (never finalized with a line missing); fixed, it is added and the invoice finished', async () => {
  const ada = unique('ada');
  const mapping = { ...MAPPING, amount: '{{Amount}}', price: '{{Price}}' };
  const rows = [
    { Order: 'I-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00', Price: '' },
    { Order: 'I-1', Email: ada, Name: 'Ada', Item: 'Gift', Amount: '', Price: 'price_doesnotexist1' },
  ];
  const c = await grouped(rows, mapping);
  const first = await run(c.id);
  assert.equal(first.status, 'partial', JSON.stringify(first));
  assert.match(first.rows.find((x) => x.status === 'failed')?.error ?? '', /price_doesnotexist1/);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'I-1');
  assert.equal(made.length, 1);
  assert.equal(made[0]?.status, 'draft', 'not finalized with a line missing');
  assert.match(first.invoices?.[0]?.error ?? '', /not finished: 1 of its lines failed/);

  await setRows(
    c.id,
    rows.map((row) => (row.Item === 'Gift' ? { ...row, Amount: '4.00', Price: '' } : row)),
  );
  const fixed = await run(c.id);
  assert.equal(fixed.counts.sent, 1);
  const final = await stripe.invoices.retrieve(made[0]?.id ?? '');
  assert.equal(final.status, 'open');
  assert.equal(final.total, 500);
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'I-1').length, 1);
});

test('a line whose answer is lost is found by its marker on the draft, not added twice', async () => {
  const ada = unique('ada');
  const c = await grouped([
    { Order: 'J-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00' },
    { Order: 'J-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '2.00' },
  ]);
  // The first line is written, then answered with a 500 that Stripe stores and replays for its key:
  // the SDK's retries get the same 500, so only a lookup can tell that the line exists.
  h.emulator.failNextWrites({ kind: '500', path: '/v1/invoiceitems' });
  const looked = () => h.emulator.requests().filter((q) => q.method === 'GET' && q.path.startsWith('/v1/invoiceitems')).length;
  const lookups = looked();
  const r = await run(c.id);
  assert.equal(r.status, 'succeeded', JSON.stringify(r));
  assert.equal(looked(), lookups + 1, "the lost line was looked for among the draft's lines");
  const made = invoices().filter((i) => i.metadata.invoice_key === 'J-1');
  assert.equal(made.length, 1);
  assert.equal(items().filter((i) => i.invoice === made[0]?.id).length, 2, 'each line once');
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 300);
});

test('the test send makes a draft with the row as its only line and deletes it; a run then makes the real invoice', async () => {
  const ada = unique('ada');
  const c = await grouped([
    { Order: 'T-1', Email: ada, Name: 'Ada', Item: 'Tea', Amount: '1.00' },
    { Order: 'T-1', Email: ada, Name: 'Ada', Item: 'Milk', Amount: '2.00' },
  ]);
  const { status, body } = await h.api<{ result: { ok: boolean; id: string; note: string } }>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.result.ok, true, JSON.stringify(body));
  assert.match(body.result.note, /created and deleted at once/);
  await assert.rejects(stripe.invoices.retrieve(body.result.id), /No such invoice/);
  assert.equal(items().filter((i) => i.invoice === body.result.id).length, 0, 'its line went with it');

  const r = await run(c.id);
  assert.equal(r.counts.sent, 2);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'T-1');
  assert.equal(made.length, 1);
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 300);
});

test('lines priced by a Price × quantity: the invoice takes the Price’s currency and its total', async () => {
  const ada = unique('ada');
  const price = await stripe.prices.create({ currency: 'eur', unit_amount: 1500, product_data: { name: 'Seat' } });
  const mapping = { ...MAPPING, currency: '', amount: '', price: '{{Price}}', quantity: '{{Qty}}' };
  delete (mapping as Record<string, string>).currency;
  delete (mapping as Record<string, string>).amount;
  const c = await grouped(
    [
      { Order: 'K-1', Email: ada, Name: 'Ada', Item: 'Seats', Price: price.id, Qty: '3' },
      { Order: 'K-1', Email: ada, Name: 'Ada', Item: 'Seat', Price: price.id, Qty: '1' },
    ],
    mapping,
  );
  const preview = await h.api<{ groups: { total: number | null; lines: { price: string; quantity: number }[] }[] }>(
    'POST',
    `/api/connections/${c.id}/preview`,
    {},
  );
  assert.equal(preview.body.groups[0]?.total, null, 'a Price’s amount is Stripe’s to know');
  assert.deepEqual(
    preview.body.groups[0]?.lines.map((l) => [l.price, l.quantity]),
    [
      [price.id, 3],
      [price.id, 1],
    ],
  );
  const r = await run(c.id);
  assert.equal(r.status, 'succeeded', JSON.stringify(r));
  const made = invoices().filter((i) => i.metadata.invoice_key === 'K-1');
  assert.equal(made.length, 1);
  const final = await stripe.invoices.retrieve(made[0]?.id ?? '');
  assert.deepEqual([final.currency, final.total, final.status], ['eur', 6000, 'open']);
});

test('an order posted line by line to a web form is invoiced once its last line says it is ready', async () => {
  const ada = unique('ada');
  const c = await h.connection({
    name: 'Order form',
    source: { type: 'webhook' },
    action: 'stripe.create_invoice_from_rows',
    accountId,
    mapping: { ...MAPPING, ready: '{{last}}' },
  });
  const hook = `${h.sluice.url}${new URL(c.hookUrl ?? '').pathname}`;
  const post = async (fields: Record<string, string>) => {
    const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    assert.equal(res.status, 202, await res.text());
  };
  const line = (Item: string, Amount: string, last = 'no') => ({ Order: 'W-1', Email: ada, Name: 'Ada', Item, Amount, last });
  await post(line('Tea', '1.00'));
  await post(line('Milk', '2.00'));
  const waited = await waitForRows(c.id, 2);
  assert.equal(waited.pending, 2, 'the lines wait for the order to be complete');
  assert.equal(invoices().filter((i) => i.metadata.invoice_key === 'W-1').length, 0);
  await post(line('Sugar', '3.00', 'yes'));
  const done = await waitForRows(c.id, 3, 'sent');
  assert.equal(done.sent, 3);
  const made = invoices().filter((i) => i.metadata.invoice_key === 'W-1');
  assert.equal(made.length, 1);
  assert.equal((await stripe.invoices.retrieve(made[0]?.id ?? '')).total, 600);
});

/** Waits until the connection's ledger has `n` rows (all `status`, when given), and its runs have ended. */
async function waitForRows(connectionId: string, n: number, status?: 'sent') {
  const until = Date.now() + 20_000;
  for (;;) {
    const { body } = await h.api<{ rows?: Record<string, number>; lastRun: { finishedAt: string | null } | null }>(
      'GET',
      `/api/connections/${connectionId}`,
    );
    const counts = body.rows ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total >= n && (status === undefined || counts[status] === n) && body.lastRun?.finishedAt) return counts;
    if (Date.now() > until) throw new Error(`rows of ${connectionId} did not reach ${n}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
