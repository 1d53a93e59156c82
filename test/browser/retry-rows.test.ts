import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LANGUAGES, startBrowserHarness, type BrowserHarness, type Language } from './support/browser.js';
import { ownerApi } from './support/owner-api.js';

// A run's failed rows in the UI: the failed-only filter, a "Retry" button on each failed row that
// sends just that row in a new run (and the page follows it), "Retry failed rows" for the rest, and
// a live run's pace, backing off when Stripe answers 429. Each language on its own fresh Sluice;
// the owner, the account and the connections are made through the API, as the wizard is tested
// elsewhere (seed-flow.test.ts).

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: LANGUAGES.length });
});
after(() => h?.close());

const keyOf = (lang: Language) => `sk_test_${lang}${'r'.repeat(24)}`;

/** A customer made in the emulator, as a person would in the Stripe Dashboard. */
async function createCustomer(lang: Language, email: string): Promise<void> {
  const res = await fetch(`${h.emulator.url}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyOf(lang)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Invoice item requests that reached the emulator for a row (each row's description is unique). */
const sendsOf = (description: string) =>
  h.emulator
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/v1/invoiceitems' && new URLSearchParams(r.body).get('description') === description)
    .length;

async function waitForRunEnd(api: Awaited<ReturnType<typeof ownerApi>>, runId: string): Promise<void> {
  const until = Date.now() + 30_000;
  while ((await api<{ finishedAt: string | null }>('GET', `/api/runs/${runId}?limit=1`)).finishedAt === null) {
    assert.ok(Date.now() < until, `run ${runId} did not end in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const [i, lang] of LANGUAGES.entries()) {
  test(`failed rows: the failed-only filter, one row retried with its button, the rest with "Retry failed rows" (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const { page } = ui;
      const api = await ownerApi(ui);
      const account = await api<{ id: string }>('POST', '/api/accounts', { name: 'Shop', secretKey: keyOf(lang) });
      // Invoice items for four customers; those of r2 and r4 do not exist in Stripe, so those rows fail.
      const email = (key: string) => `${lang}-${key}@retry.example`;
      const description = (key: string) => `line-${lang}-${key}`;
      for (const key of ['r1', 'r3']) await createCustomer(lang, email(key));
      const csv = ['Ref,Email,What', ...['r1', 'r2', 'r3', 'r4'].map((k) => `${k},${email(k)},${description(k)}`)].join('\n') + '\n';
      const connection = await api<{ id: string }>('POST', '/api/connections', {
        name: 'Invoice lines',
        source: { type: 'csv', content: csv, keyColumn: 'Ref' },
        action: 'stripe.create_invoice_item',
        accountId: account.id,
        mapping: { customer: '{{Email}}', amount: '25', currency: 'usd', description: '{{What}}' },
      });
      const { runId } = await api<{ runId: string }>('POST', `/api/connections/${connection.id}/run`);
      await waitForRunEnd(api, runId);

      await ui.goto(`/runs/${runId}`);
      await page.locator('[data-row-key="r4"]').waitFor();
      // The failed rows keep their last reason and get a button each; the sent ones do not.
      const r2 = page.locator('[data-row-key="r2"]');
      await r2.getByText(`no Stripe customer has the email ${email('r2')}`, { exact: false }).waitFor();
      assert.equal(await page.locator('[data-row-status="sent"]').getByRole('button').count(), 0);

      // Failed only: r2 and r4.
      await page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(ui.t('runs:rowStatus.failed'))}\\s`) }).check();
      await page.locator('[data-row-key="r1"]').waitFor({ state: 'detached' });
      await page.locator('[data-row-key="r4"]').waitFor();
      const shown = await Promise.all((await page.locator('tbody tr').all()).map((row) => row.getAttribute('data-row-key')));
      assert.deepEqual(shown, ['r2', 'r4']);
      await ui.screenshot('run-failed-rows');

      // r2's customer now exists; r2 (line 3 of the file) is retried on its own.
      await createCustomer(lang, email('r2'));
      await ui.byRole('button', 'runs:rows.retryRow', { line: 3 }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/') && url.pathname !== `/runs/${runId}`);
      const retryId = new URL(page.url()).pathname.split('/')[2]!;
      await page.getByText(ui.t('runs:run.retryStarted', { count: 1, n: '1' })).waitFor();
      await page.locator('[data-row-key="r2"][data-row-status="sent"]').waitFor();
      await page.getByText(ui.t('runs:status.succeeded'), { exact: true }).first().waitFor();
      assert.equal(await page.locator('tbody tr').count(), 1, 'the retry run has r2 alone');
      await ui.screenshot('run-row-retried');
      await waitForRunEnd(api, retryId);
      assert.deepEqual(
        ['r1', 'r2', 'r3', 'r4'].map((k) => sendsOf(description(k))),
        [1, 1, 1, 0],
        'r2 went out once, in its retry; nothing else was sent again (r4 never reached Stripe)',
      );

      // Back on the first run: r2 says it was sent since and has no button; r4 is retried with the rest.
      await ui.goto(`/runs/${runId}`);
      await r2.getByText(ui.t('runs:rows.since.sent')).waitFor();
      assert.equal(await r2.getByRole('button').count(), 0);
      await ui.byRole('button', 'runs:rows.retryRow', { line: 5 }).waitFor();
      await ui.byRole('button', 'runs:run.retryFailed').click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/') && url.pathname !== `/runs/${runId}`);
      await page.getByText(ui.t('runs:run.retryStarted', { count: 1, n: '1' })).waitFor();
      // r4's customer still does not exist: it fails again, with its reason and a button of its own.
      await page.locator('[data-row-key="r4"][data-row-status="failed"]').waitFor();
      await ui.byRole('button', 'runs:rows.retryRow', { line: 5 }).waitFor();
      assert.deepEqual(
        ['r1', 'r2', 'r3', 'r4'].map((k) => sendsOf(description(k))),
        [1, 1, 1, 0],
      );
    });
  });
}

test('a live run shows its pace on the dashboard and its page, and a calm note while Stripe answers 429 (en)', async (tc) => {
  // Runs after the tests above on the first server: its owner exists, so it signs in instead.
  const lang: Language = 'en';
  const sluice = h.sluices[0]!;
  await h.withPage(tc, { lang, sluice }, async (ui) => {
    const { page } = ui;
    const origin = sluice.url;
    const login = await page.request.post(`${origin}/api/session/login`, {
      headers: { origin },
      data: { email: `owner.${lang}@example.com`, password: 'a long enough password' },
    });
    assert.equal(login.status(), 200, await login.text());
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const post = async <T>(path: string, data: unknown) => {
      const res = await page.request.post(`${origin}${path}`, { headers: { origin, 'x-csrf-token': csrfToken }, data });
      assert.ok(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const account = await post<{ id: string }>('/api/accounts', { name: 'Paced', secretKey: keyOf(lang) });
    const rows = Array.from({ length: 40 }, (_, n) => `paced${n}@pace.example`);
    const connection = await post<{ id: string }>('/api/connections', {
      name: 'Paced customers',
      source: { type: 'csv', content: ['Email', ...rows].join('\n') + '\n' },
      action: 'stripe.create_customer',
      accountId: account.id,
      mapping: { email: '{{Email}}' },
    });

    // Stripe allows 25 requests a second in test mode; this one, 3: Sluice's pacer meets 429s at once.
    h.emulator.configure({ rateLimit: 3, latencyMs: 20 });
    try {
      await ui.goto('/');
      const item = page.locator(`[data-connection-id="${connection.id}"]`);
      await item.waitFor();
      await post(`/api/connections/${connection.id}/run`, {});
      // The limit is the account's (test mode: 25 a second); the rows per second change as it goes.
      const limitText = ui.t('runs:pace.line', { rows: '', limit: 25 }).trim();
      await item.locator('.run-pace__line').getByText(limitText, { exact: false }).waitFor();
      await item.locator('[data-pace="backing-off"]').getByText(ui.t('runs:pace.normal'), { exact: false }).waitFor();
      await ui.screenshot('dashboard-run-pace');

      await item.getByRole('link', { name: ui.t('dashboard:connection.openRun'), exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/'));
      const note = page.locator('[data-pace="backing-off"] .run-pace__note');
      await note.waitFor();
      const text = (await note.textContent()) ?? '';
      // "Stripe asked to slow down (429); going at 3.1/s, back to full speed in ~14 sec. This is normal: …"
      const [before] = ui.t('runs:pace.backingOff', { rate: '\u0000', seconds: '\u0000' }).split('\u0000');
      assert.ok(text.startsWith(before!), `the note: ${text}`);
      assert.ok(text.endsWith(ui.t('runs:pace.normal')), `the note: ${text}`);
      await ui.screenshot('run-backing-off');
    } finally {
      h.emulator.configure({ rateLimit: 0, latencyMs: 0 });
    }
    // Once it ends, the pace gives way to the run's average.
    await page.getByText(ui.t('runs:status.succeeded'), { exact: true }).first().waitFor({ timeout: 60_000 });
    await page.getByText(ui.t('runs:run.averagePace'), { exact: true }).waitFor();
    assert.equal(await page.locator('.run-pace').count(), 0);
  });
});
