import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, startHarness, type Harness } from './support/harness.js';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

test('a CSV connection sends each row once as a customer', async () => {
  const accountId = await h.account();
  const content = csv([
    { Email: 'ada@example.com', Name: 'Ada Lovelace' },
    { Email: 'alan@example.com', Name: 'Alan Turing' },
  ]);
  const c = await h.connection({
    name: 'Signups',
    source: { type: 'csv', content },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}', name: '{{Name}}', 'metadata.source': 'csv' },
  });
  const first = await h.run(c.id);
  assert.equal(first.status, 'succeeded', JSON.stringify(first));
  assert.equal(first.counts.sent, 2);
  const second = await h.run(c.id);
  assert.equal(second.counts.sent, 0);
  assert.equal(h.emulator.objects('customer').length, 2);
});

test('a POST with a JSON content type and no body is a POST without a body', async () => {
  const res = await fetch(`${h.sluice.url}/api/catalog`, { headers: { authorization: `Bearer ${h.apiKey}` } });
  assert.equal(res.status, 200);
  const { body } = await h.api<{ data: { id: string }[] }>('GET', '/api/connections');
  const id = body.data[0]!.id;
  const run = await fetch(`${h.sluice.url}/api/connections/${id}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
  });
  assert.equal(run.status, 202, await run.text());
});
