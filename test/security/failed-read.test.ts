import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { rowMarker } from '../../src/engine/row-keys.js';
import { intakeRows } from '../../src/store/rows.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Issue 13, point 6: a failed read changes nothing. A CSV URL read that is cut off, too large or
 * too slow commits no rows at all (a 250 MB file once left 2.2 million pending rows behind), and
 * rows that an earlier read left pending which the source no longer has are never sent: after the
 * source is switched to a one-row file, a run sends exactly that row.
 *
 * The CSV files are served by a loopback server of the test's own.
 */

const MAX_BYTES = 200_000;
const TIMEOUT_MS = 5_000;
/** Rows before the failure: several of the old intake's 500-row batches. */
const ROWS_BEFORE_FAILURE = 2_000;

let h: Harness;
let files: http.Server;
let base: string;
let accountId: string;
const open = new Set<import('node:net').Socket>();

const line = (i: number) => `r${i},row${i}@failed-read.example,Row ${i}\r\n`;
const HEADER = 'Ref,Email,Name\r\n';

before(async () => {
  files = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/csv');
    switch (req.url) {
      case '/cut.csv': {
        // Chunked, no length: ROWS_BEFORE_FAILURE rows, then the connection drops mid-row.
        res.write(HEADER);
        for (let i = 0; i < ROWS_BEFORE_FAILURE; i++) res.write(line(i));
        res.write('r-half,half@failed');
        setTimeout(() => res.socket?.destroy(), 100);
        return;
      }
      case '/big.csv': {
        // Well past SLUICE_FETCH_MAX_BYTES, without a content-length: the limit hits mid-read.
        res.write(HEADER);
        let i = 0;
        const more = () => {
          while (i < 20_000) if (!res.write(line(i++))) return void res.once('drain', more);
          res.end();
        };
        more();
        return;
      }
      case '/slow.csv': {
        // Rows at once, then nothing: the read's deadline (SLUICE_FETCH_TIMEOUT_MS) ends it.
        res.write(HEADER);
        for (let i = 0; i < ROWS_BEFORE_FAILURE; i++) res.write(line(i));
        return;
      }
      case '/unclosed.csv': {
        // A quote opened in the middle of the file and never closed: the file cannot be read.
        res.write(HEADER);
        for (let i = 0; i < ROWS_BEFORE_FAILURE; i++) res.write(line(i));
        res.write('r-bad,"unclosed@failed-read.example,Bad\r\n');
        for (let i = ROWS_BEFORE_FAILURE; i < 2 * ROWS_BEFORE_FAILURE; i++) res.write(line(i));
        res.end();
        return;
      }
      case '/one.csv':
        res.end(`${HEADER}${line(0)}`);
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  files.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  h = await startHarness({
    env: {
      // Another guard refuses loopback addresses by default; this test's files are on loopback.
      SLUICE_ALLOW_PRIVATE_URLS: '1',
      SLUICE_FETCH_MAX_BYTES: String(MAX_BYTES),
      SLUICE_FETCH_TIMEOUT_MS: String(TIMEOUT_MS),
    },
  });
  accountId = await h.account();
});

after(async () => {
  await h.close();
  for (const s of open) s.destroy();
  await new Promise((resolve) => files.close(resolve));
});

async function connectionReading(file: string): Promise<string> {
  const c = await h.connection({
    name: `Read ${file}`,
    source: { type: 'csv', url: `${base}/${file}`, keyColumn: 'Ref' },
    action: 'stripe.create_customer',
    accountId,
    // if_exists create: a duplicate would be a second customer, not a found one.
    mapping: { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' },
  });
  return c.id;
}

async function counts(connectionId: string) {
  const { status, body } = await h.api<{ rows: Record<string, number> }>('GET', `/api/connections/${connectionId}`);
  assert.equal(status, 200);
  return body.rows;
}

/** The customers Stripe holds for a row of a connection, found by the marker Sluice puts on each. */
function customersOf(connectionId: string, rowKey: string) {
  const marker = rowMarker(connectionId, rowKey);
  return (h.emulator.objects('customer') as { metadata: Record<string, string> }[]).filter((c) => c.metadata.sluice_row === marker);
}

const none = { pending: 0, sent: 0, failed: 0, skipped: 0 };

for (const [file, what, error] of [
  ['cut.csv', 'a dropped connection', /^source: .*could not be read to the end/],
  ['big.csv', 'a file over SLUICE_FETCH_MAX_BYTES', /^source: .*(larger|too large|more than)/i],
  ['slow.csv', 'a read past SLUICE_FETCH_TIMEOUT_MS', /^source: .*(time|deadline)/i],
  ['unclosed.csv', 'an unreadable line in the middle', /^source: .*a quote that is never closed/],
] as const) {
  test(`a read cut off part way by ${what} commits no rows; the source switched to one row sends exactly that row`, async () => {
    const id = await connectionReading(file);
    const started = Date.now();
    const run = await h.run(id, 30_000);
    assert.equal(run.status, 'failed', JSON.stringify(run));
    assert.match(run.error ?? '', error);
    assert.deepEqual(run.counts, none);
    assert.deepEqual(await counts(id), none, 'the ledger has no row of the failed read');
    if (file === 'slow.csv') assert.ok(Date.now() - started < TIMEOUT_MS + 10_000, 'the deadline ended the read');

    const patched = await h.api('PATCH', `/api/connections/${id}`, { source: { type: 'csv', url: `${base}/one.csv`, keyColumn: 'Ref' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const next = await h.run(id);
    assert.equal(next.status, 'succeeded', JSON.stringify(next));
    assert.deepEqual(next.counts, { ...none, sent: 1 });
    assert.deepEqual(await counts(id), { ...none, sent: 1 });
    assert.equal(customersOf(id, 'r0').length, 1, 'the one row made one customer');
    assert.equal(customersOf(id, 'r1').length, 0, 'no row of the failed read was sent');
    assert.equal(
      (h.emulator.objects('customer') as { metadata: Record<string, string> }[]).filter((c) => c.metadata.sluice_row?.startsWith(`${id}/`))
        .length,
      1,
    );
  });
}

test('rows an earlier read left pending that the source no longer has are not sent, and the run says so', async () => {
  const id = await connectionReading('one.csv');
  // The state the old intake left after a read cut off part way: rows pending from that read.
  const db = await h.openStore();
  try {
    const stale = Array.from({ length: 1200 }, (_, i) => ({
      key: `r${i + 1}`,
      fields: { Ref: `r${i + 1}`, Email: `stale${i + 1}@failed-read.example`, Name: `Stale ${i + 1}` },
    }));
    assert.equal(await intakeRows(db, id, stale, 'pending', 'run_earlier'), 1200);
  } finally {
    await db.destroy();
  }
  const run = await h.run(id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.deepEqual(run.counts, { ...none, sent: 1 });
  assert.deepEqual(run.warnings, ['1200 pending rows were not sent: an earlier read took them in and the source no longer has them']);
  assert.equal(customersOf(id, 'r0').length, 1);
  assert.equal(customersOf(id, 'r1').length, 0);
  assert.deepEqual(await counts(id), { ...none, pending: 1200, sent: 1 }, 'left pending, unsent');

  // A later run leaves them as well; a row that comes back to the source is sent then.
  const again = await h.run(id);
  assert.deepEqual(again.counts, none);
  assert.equal(customersOf(id, 'r1').length, 0);
});
