import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { unnamedControls } from './support/a11y.js';
import { LANGUAGES, startBrowserHarness, type BrowserHarness, type Language, type UiPage } from './support/browser.js';
import { ownerApi } from './support/owner-api.js';

// Invoices made from rows, in the UI, once in each language on its own fresh Sluice: a CSV of two
// orders — three lines for a customer Stripe already has, two for one it does not — becomes a
// "Create invoices from rows" connection in the wizard. The action step explains the grouping, the
// mapping step says what the invoice key does, and the preview shows the two invoices with their
// lines, totals, and the customer found or to be created. Run from the dashboard, the run's page
// lists both invoices, finalized and sent, with their numbers and links. The emulator is asked at
// the end what really reached "Stripe". The owner and the account are made through the API (the
// wizard's account step is tested in seed-flow.test.ts).

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: LANGUAGES.length });
});
after(() => h?.close());

const ACTION = 'create_invoice_from_rows';
const keyOf = (lang: Language) => `sk_test_${lang}${'g'.repeat(24)}`;
const label = (field: string) => `wizard:catalog.fields.stripe.${ACTION}.${field}.label`;

/** The two orders: one for a customer made beforehand in "Stripe", one for a customer Sluice must create. */
const ordersOf = (lang: Language) => {
  const known = { key: `A-${lang}-1001`, email: `ada.${lang}@grouped.example`, name: 'Ada Lovelace' };
  const fresh = { key: `B-${lang}-1002`, email: `grace.${lang}@grouped.example`, name: 'Грейс Гоппер' };
  return {
    known: {
      ...known,
      lines: [
        ['Tea', '12.50'],
        ['Milk', '7,25'],
        ['Teapot', '100'],
      ] as const,
      total: 11975,
    },
    fresh: {
      ...fresh,
      lines: [
        ['Compiler', '20'],
        ['Manual, «як є»', '5.50'],
      ] as const,
      total: 2550,
    },
  };
};

const csvOf = (header: string[], rows: string[][]) =>
  [header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\n') + '\n';

/** Only the digits of a formatted amount: "$119.75" and "119,75 USD" are both 11975. */
const digits = (s: string | null) => (s ?? '').replace(/\D/g, '');

const next = (ui: UiPage) => ui.byRole('button', 'actions.next').click();

/** A step's root, once it shows, photographed and checked for controls without a name. */
async function atStep(ui: UiPage, step: string, n: number): Promise<Locator> {
  const root = ui.page.locator(`[data-step="${step}"]`);
  await root.waitFor();
  await ui.byRole('heading', `wizard:steps.${step}`).waitFor();
  await ui.screenshot(`grouped-${n}-${step}`);
  assert.deepEqual(await unnamedControls(ui.page), [], `controls without an accessible name on the ${step} step`);
  return root;
}

/** A customer made in the emulator, as a person would in the Stripe Dashboard. */
async function createCustomer(lang: Language, email: string, name: string): Promise<string> {
  const res = await fetch(`${h.emulator.url}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyOf(lang)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, name }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return (JSON.parse(text) as { id: string }).id;
}

/** At phone width the page fits: nothing but a table's own scroll box is wider than the screen. */
async function fitsAPhone(ui: UiPage, shot: string): Promise<void> {
  const size = ui.page.viewportSize();
  await ui.page.setViewportSize({ width: 375, height: 800 });
  const wide = await ui.page.evaluate<number>('document.documentElement.scrollWidth');
  await ui.screenshot(shot);
  assert.ok(wide <= 375, `${ui.page.url()} is ${wide}px wide at a 375px screen`);
  if (size) await ui.page.setViewportSize(size);
}

interface EmulatedInvoice {
  id: string;
  number: string | null;
  status: string;
  customer: string;
  amount_due: number;
  hosted_invoice_url: string | null;
  lines: { data: unknown[] };
  metadata: Record<string, string>;
}

for (const [i, lang] of LANGUAGES.entries()) {
  test(`two orders from a CSV become two invoices: grouped preview, run, and the run's invoices (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const { page } = ui;
      const api = await ownerApi(ui);
      const accountName = `Shop ${lang}`;
      await api('POST', '/api/accounts', { name: accountName, secretKey: keyOf(lang) });
      const { known, fresh } = ordersOf(lang);
      const knownId = await createCustomer(lang, known.email, known.name);
      const csv = csvOf(
        ['Order', 'Email', 'Name', 'Product', 'Amount'],
        [known, fresh].flatMap((o) => o.lines.map(([product, amount]) => [o.key, o.email, o.name, product, amount])),
      );

      await ui.goto('/');
      await ui.byRole('link', 'nav.newConnection').click();
      await ui.waitForPath('/connections/new');

      // 1. Source: the CSV uploaded from this computer.
      await atStep(ui, 'source', 1);
      await ui.byRole('radio', 'wizard:catalog.sources.csv.title').check();
      await ui.byRole('radio', 'wizard:source.csv.origins.upload').check();
      await ui.field('wizard:source.csv.file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('rowheader', { name: 'Order', exact: true }).first().waitFor();
      await next(ui);

      // 2. Action: invoices from rows; the step says how rows become invoices.
      await atStep(ui, 'action', 2);
      await ui.byRole('radio', `wizard:catalog.actions.stripe.${ACTION}.title`).check();
      const grouping = page.getByRole('region', { name: ui.t('wizard:action.grouped.title') });
      await grouping.waitFor();
      await grouping.getByText(ui.t('wizard:action.grouped.sameKey', { key: ui.t(label('invoice_key')) })).waitFor();
      await grouping.getByText(ui.t('wizard:action.grouped.limit', { max: '250' })).waitFor();
      await ui.screenshot('grouped-2-action-explained');
      await next(ui);

      // 3. Account: the one made through the API.
      await atStep(ui, 'account', 3);
      await page.getByRole('radio', { name: accountName, exact: true }).check();
      await next(ui);

      // 4. Mapping: the invoice key says what it does; each field gets its column or value.
      const mapping = await atStep(ui, 'mapping', 4);
      await mapping.locator('[data-field="invoice_key"]').getByText(ui.t('wizard:mapping.groupKeyNote')).waitFor();
      const fields: Record<string, string> = {
        invoice_key: '{{Order}}',
        customer_email: '{{Email}}',
        customer_name: '{{Name}}',
        amount: '{{Amount}}',
        currency: 'usd',
        description: '{{Product}}',
        collection_method: 'send_invoice',
        days_until_due: '14',
        finalize: 'yes',
        send: 'yes',
      };
      for (const [key, template] of Object.entries(fields)) await ui.field(label(key)).fill(template);
      await ui.screenshot('grouped-4-mapping-filled');
      await next(ui);

      // 5. Test data: two invoices, their lines and totals, one customer found and one to be created.
      await page.waitForURL((url) => /^\/connections\/con_[^/]+\/edit$/.test(url.pathname) && url.searchParams.get('step') === 'test');
      const id = new URL(page.url()).pathname.split('/')[2]!;
      const testStep = await atStep(ui, 'test', 5);
      const groups = testStep.locator('[data-group-key]');
      await groups.nth(1).waitFor();
      assert.equal(await groups.count(), 2, 'two invoices in the preview');
      await testStep.getByText(ui.t('wizard:test.groups.summary', { count: 2, n: '2' })).waitFor();
      for (const order of [known, fresh]) {
        const group = testStep.locator(`[data-group-key="${order.key}"]`);
        await group.getByRole('heading', { name: ui.t('wizard:test.groups.invoice', { key: order.key }), exact: true }).waitFor();
        const lines = group.getByRole('table', { name: ui.t('wizard:test.groups.linesCaption', { key: order.key }) });
        assert.equal(await lines.locator('tbody tr').count(), order.lines.length, `${order.key}: one line a row`);
        for (const [product] of order.lines) await lines.getByRole('cell', { name: product, exact: true }).waitFor();
        assert.equal(digits(await lines.locator('tfoot td').textContent()), String(order.total), `${order.key}: the total`);
        await group.getByText(ui.t('wizard:test.ready'), { exact: true }).waitFor();
        await group.getByText(ui.t('wizard:test.groups.finalize'), { exact: true }).waitFor();
        await group.getByText(ui.t('wizard:test.groups.send'), { exact: true }).waitFor();
        await group.getByText(order.email, { exact: false }).first().waitFor();
      }
      const knownGroup = testStep.locator(`[data-group-key="${known.key}"]`);
      const freshGroup = testStep.locator(`[data-group-key="${fresh.key}"]`);
      await knownGroup.getByText(ui.t('wizard:test.groups.found', { id: knownId }), { exact: true }).waitFor();
      await freshGroup.getByText(ui.t('wizard:test.groups.create'), { exact: true }).waitFor();
      // The exact requests of an invoice, behind its summary: the customer looked up, the invoice, its lines.
      await knownGroup.locator('summary').click();
      await knownGroup.locator('.wizard-requests li').first().waitFor();
      const planned = await knownGroup.locator('.wizard-requests__line code').allTextContents();
      assert.ok(
        planned.some((r) => r.startsWith('POST /v1/invoices')),
        `the requests of ${known.key}: ${planned.join(', ')}`,
      );
      // The rows themselves stay visible under the invoices.
      await testStep.getByRole('table', { name: ui.t('wizard:test.linesCaption', { count: 5 }) }).waitFor();
      await ui.screenshot('grouped-preview');
      await fitsAPhone(ui, 'phone-grouped-preview');

      // The test send: one row, a draft invoice deleted at once.
      await ui.byRole('button', 'wizard:test.send').click();
      const dashboardLink = ui.byRole('link', 'wizard:test.openInDashboard');
      await dashboardLink.waitFor();
      assert.match((await dashboardLink.getAttribute('href')) ?? '', /^https:\/\/dashboard\.stripe\.com\/test\//);
      await ui.screenshot('grouped-5-test-sent');
      await next(ui);

      // 6. Auto-update stays off: the connection is saved; "Finish" goes back to the connections.
      await atStep(ui, 'schedule', 6);
      await ui.byRole('button', 'wizard:schedule.finish').click();
      await ui.waitForPath('/');

      // Run it from the dashboard, and open the run.
      const name = ((await (await page.request.get(`${ui.sluice.url}/api/connections/${id}`)).json()) as { name: string }).name;
      const item = page.locator(`[data-connection-id="${id}"]`);
      await item.waitFor();
      await item.getByRole('button', { name: ui.t('dashboard:connection.runNow', { name }), exact: true }).click();
      await item.getByText(ui.t('runs:status.succeeded'), { exact: true }).waitFor({ timeout: 30_000 });
      await item.getByRole('link', { name, exact: true }).click();
      await ui.waitForPath(`/connections/${id}/runs`);
      await page.locator('[data-run-status="succeeded"]').first().getByRole('link').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/'));

      // The run's invoices: both finalized and sent, each with its number, total and links.
      const invoices = page.getByRole('region', { name: ui.t('runs:invoices.title') });
      await invoices.waitFor();
      const rowsOf = invoices.locator('[data-invoice-key]');
      await rowsOf.nth(1).waitFor();
      assert.equal(await rowsOf.count(), 2, 'two invoices on the run page');
      const made = (h.emulator.objects('invoice') as EmulatedInvoice[]).filter((x) => x.metadata.sluice_row?.startsWith(`${id}/`));
      for (const order of [known, fresh]) {
        const row = invoices.locator(`[data-invoice-key="${order.key}"]`);
        await row.getByText(ui.t('runs:invoices.status.open'), { exact: true }).waitFor();
        const number = ((await row.locator('.invoices-table__number .mono').textContent()) ?? '').trim();
        assert.match(number, /^[A-Z0-9]+-\d{4}$/, `${order.key}: the invoice's number`);
        assert.equal(digits(await row.locator('td.num .nowrap').textContent()), String(order.total), `${order.key}: the total`);
        await row.getByText(ui.t('runs:invoices.lines', { count: order.lines.length, n: String(order.lines.length) })).waitFor();
        const pay = row.getByRole('link', { name: ui.t('runs:invoices.paymentPageOf', { key: order.key }), exact: true });
        const dashboard = row.getByRole('link', { name: ui.t('runs:invoices.dashboardOf', { key: order.key }), exact: true });
        const invoice = made.find((x) => x.number === number);
        assert.ok(invoice, `${order.key}: invoice ${number} is in the emulator`);
        assert.equal(await pay.getAttribute('href'), invoice.hosted_invoice_url);
        assert.equal(await dashboard.getAttribute('href'), `https://dashboard.stripe.com/test/invoices/${invoice.id}`);
      }
      // Each row: sent, with its invoice key.
      const sent = page.locator('[data-row-status="sent"]');
      await sent.nth(4).waitFor();
      assert.equal(await sent.count(), 5);
      for (const order of [known, fresh]) {
        assert.equal(
          await sent.filter({ has: page.locator('.rows-table__invoice-key', { hasText: order.key }) }).count(),
          order.lines.length,
          `${order.key}: its rows carry its key`,
        );
      }
      await ui.screenshot('grouped-run');

      // What reached "Stripe": one invoice an order, the known customer used, the other created once.
      const byCustomer = (email: string) =>
        (h.emulator.objects('customer') as { id: string; email: string | null }[]).filter((c) => c.email === email);
      assert.deepEqual(
        byCustomer(known.email).map((c) => c.id),
        [knownId],
        'the existing customer was not created again',
      );
      assert.equal(byCustomer(fresh.email).length, 1, 'the new customer was created once');
      assert.equal(made.length, 2);
      for (const order of [known, fresh]) {
        const [customer] = byCustomer(order.email);
        const invoice = made.find((x) => x.customer === customer?.id);
        assert.ok(invoice, `${order.key}: an invoice for ${order.email}`);
        assert.equal(invoice.status, 'open');
        assert.equal(invoice.lines.data.length, order.lines.length);
        assert.equal(invoice.amount_due, order.total);
      }

      await fitsAPhone(ui, 'phone-grouped-run');

      // Every row is on its invoice now: the preview has nothing left to invoice, and says so.
      await ui.goto(`/connections/${id}/edit?step=test`);
      await page.getByText(ui.t('wizard:test.noRowsGrouped'), { exact: true }).waitFor();
      assert.equal(await page.locator('[data-group-key]').count(), 0);
    });
  });
}
