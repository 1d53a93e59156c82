import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, startHarness, type Harness } from './support/harness.js';

let h: Harness;
before(async () => (h = await startHarness({ emulator: { latencyMs: 30, rateLimit: 10 } })));
after(() => h.close());

test('rows go out several at a time, and 429s slow the account down instead of failing rows', async () => {
  const accountId = await h.account();
  const rows = Array.from({ length: 60 }, (_, i) => ({ Email: `paced${i}@pace.example` }));
  const c = await h.connection({
    name: 'Paced',
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
  });
  const { body } = await h.api<{ runId: string }>('POST', `/api/connections/${c.id}/run`);
  const run = await h.waitForRun(body.runId, 60_000);
  assert.equal(run.status, 'succeeded', JSON.stringify(run.rows.filter((r) => r.status !== 'sent')));
  assert.equal(run.counts.sent, 60);
  const creates = h.emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/customers');
  assert.ok(
    creates.some((r) => r.status === 429),
    'the emulator’s limit of 10 a second was met (Sluice starts at test mode’s 25)',
  );
  const emails = h.emulator.objects('customer').map((x) => (x as { email: string }).email);
  assert.equal(emails.length, 60);
  assert.equal(new Set(emails).size, 60, 'no row twice');
});
