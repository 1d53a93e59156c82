import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { unnamedControls } from './support/a11y.js';
import { LANGUAGES, startBrowserHarness, type BrowserHarness, type Language, type UiPage } from './support/browser.js';

// The seed's whole walk through the UI, once in each language on its own fresh Sluice: the owner
// created on first start; three connections from uploaded CSV files — customers, their invoice items,
// and an invoice each — each built in the wizard (source, action, account, mapping, the preview and a
// test send, auto-update), then run from the dashboard's arrow and read back in the run history.
// Every wizard step is photographed; the emulator is asked at the end what really reached "Stripe".

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: LANGUAGES.length });
});
after(() => h?.close());

interface Built {
  id: string;
  name: string;
  action: Wizard['action'];
}

interface Wizard {
  action: 'create_customer' | 'create_invoice_item' | 'create_invoice';
  csv: string;
  mapping: Record<string, string>;
  schedule: (ui: UiPage) => Promise<void>;
}

const people = (lang: Language) => [
  { email: `ada.${lang}@example.com`, name: 'Ada Lovelace', amount: '12.50', what: 'Analytical engine tuning' },
  { email: `alan.${lang}@example.com`, name: 'Alan Turing', amount: '1 200,00', what: 'Bombe maintenance' },
  { email: `grace.${lang}@example.com`, name: 'Грейс Гоппер', amount: '99', what: 'COBOL, «як є»' },
];

const csvOf = (header: string[], rows: string[][]) =>
  [header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\n') + '\n';

/** The next step: the wizard's "Next" button (the schedule step has "Finish" instead). */
const next = (ui: UiPage) => ui.byRole('button', 'actions.next').click();

/** A step's root, once it shows: `data-step` is the wizard's stable name for it. */
async function atStep(ui: UiPage, step: string, n: number, action: string): Promise<Locator> {
  const root = ui.page.locator(`[data-step="${step}"]`);
  await root.waitFor();
  await ui.byRole('heading', `wizard:steps.${step}`).waitFor();
  await ui.screenshot(`wizard-${action}-${n}-${step}`);
  assert.deepEqual(await unnamedControls(ui.page), [], `controls without an accessible name on the ${step} step`);
  return root;
}

async function build(ui: UiPage, w: Wizard, file: string): Promise<Built> {
  const { page } = ui;
  await ui.byRole('link', 'nav.newConnection').click();
  await ui.waitForPath('/connections/new');

  // 1. Source: a CSV file uploaded from this computer; its columns show with sample values.
  await atStep(ui, 'source', 1, w.action);
  await ui.byRole('radio', 'wizard:catalog.sources.csv.title').check();
  await ui.byRole('radio', 'wizard:source.csv.origins.upload').check();
  await ui.field('wizard:source.csv.file').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(w.csv) });
  const header = w.csv.split('\n')[0]!.split(',');
  await page.getByRole('rowheader', { name: header[0], exact: true }).first().waitFor();
  await ui.screenshot(`wizard-${w.action}-1-source-columns`);
  await next(ui);

  // 2. Action: Stripe, and what to do there.
  await atStep(ui, 'action', 2, w.action);
  await ui.byRole('radio', `wizard:catalog.actions.stripe.${w.action}.title`).check();
  await next(ui);

  // 3. Account: the first connection connects one inline; the others choose it.
  const accountStep = await atStep(ui, 'account', 3, w.action);
  const accountName = ui.t('wizard:catalog.sources.csv.title') + ' test';
  const existing = accountStep.getByRole('radio', { name: new RegExp(accountName) });
  if ((await existing.count()) === 0) {
    // With no account yet the form is open already; otherwise "Connect account" opens it.
    const nameField = ui.field('accounts:connect.name');
    if (!(await nameField.isVisible())) await ui.byRole('button', 'wizard:account.connect').click();
    await nameField.fill(accountName);
    await ui.field('accounts:connect.secretKey').fill(`sk_test_${ui.lang}${'x'.repeat(24)}`);
    await ui.screenshot(`wizard-${w.action}-3-account-connect`);
    await ui.byRole('button', 'accounts:connect.submit').click();
  }
  await existing.first().check();
  await next(ui);

  // 4. Mapping: a column or a template for each Stripe field.
  await atStep(ui, 'mapping', 4, w.action);
  for (const [key, template] of Object.entries(w.mapping)) {
    const field = ui.field(`wizard:catalog.fields.stripe.${w.action}.${key}.label`);
    await field.fill(template);
  }
  await ui.screenshot(`wizard-${w.action}-4-mapping-filled`);
  await next(ui);

  // 5. Test data: the preview of what will be sent, then one record sent for real.
  await page.waitForURL((url) => /^\/connections\/con_[^/]+\/edit$/.test(url.pathname) && url.searchParams.get('step') === 'test');
  const id = new URL(page.url()).pathname.split('/')[2]!;
  const test = await atStep(ui, 'test', 5, w.action);
  await test.getByRole('table').first().waitFor();
  await test.getByText(ui.t('wizard:test.ready')).first().waitFor();
  await ui.byRole('button', 'wizard:test.send').click();
  const dashboardLink = ui.byRole('link', 'wizard:test.openInDashboard');
  await dashboardLink.waitFor();
  assert.match((await dashboardLink.getAttribute('href')) ?? '', /^https:\/\/dashboard\.stripe\.com\/test\//);
  await ui.screenshot(`wizard-${w.action}-5-test-sent`);
  await next(ui);

  // 6. Auto-update.
  await atStep(ui, 'schedule', 6, w.action);
  await w.schedule(ui);
  await ui.byRole('button', 'wizard:schedule.save').click();
  await page.getByText(ui.t('wizard:schedule.saved')).waitFor();
  await ui.byRole('switch', 'wizard:schedule.enable').check();
  await ui.screenshot(`wizard-${w.action}-6-schedule-saved`);
  const name = await connectionName(ui, id);
  await ui.byRole('button', 'wizard:schedule.finish').click();
  await ui.waitForPath('/');
  return { id, name, action: w.action };
}

async function connectionName(ui: UiPage, id: string): Promise<string> {
  const res = await ui.page.request.get(`${ui.sluice.url}/api/connections/${id}`);
  assert.equal(res.status(), 200);
  return ((await res.json()) as { name: string }).name;
}

/** Forces a run with the dashboard's arrow, waits for it to succeed, and opens its rows. */
async function runFromDashboard(ui: UiPage, c: Built, rows: number): Promise<string[]> {
  const { page } = ui;
  const item = page.locator(`[data-connection-id="${c.id}"]`);
  await item.waitFor();
  assert.equal(await item.getByRole('switch', { name: ui.t('dashboard:connection.enable', { name: c.name }) }).isChecked(), true);
  await item.getByRole('button', { name: ui.t('dashboard:connection.runNow', { name: c.name }), exact: true }).click();
  await item.getByText(ui.t('runs:status.succeeded'), { exact: true }).waitFor({ timeout: 30_000 });
  await ui.screenshot(`dashboard-after-${c.action}`);

  await item.getByRole('link', { name: c.name, exact: true }).click();
  await ui.waitForPath(`/connections/${c.id}/runs`);
  await page.locator('[data-run-status="succeeded"]').first().getByRole('link').first().click();
  await page.waitForURL((url) => url.pathname.startsWith('/runs/'));
  const sent = page.locator('[data-row-status="sent"]');
  await sent.nth(rows - 1).waitFor();
  assert.equal(await sent.count(), rows);
  const ids: string[] = [];
  for (const row of await sent.all()) {
    const link = row.getByRole('link', { name: /^(cus|ii|in)_/ });
    ids.push((await link.textContent()) ?? '');
    assert.match((await link.getAttribute('href')) ?? '', /^https:\/\/dashboard\.stripe\.com\/test\//);
  }
  await ui.screenshot(`run-${c.action}`);
  await ui.byRole('link', 'nav.connections').click();
  await ui.waitForPath('/');
  return ids;
}

const sluiceRows = (kind: 'customer' | 'invoiceitem' | 'invoice', connectionId: string) =>
  (h.emulator.objects(kind) as { id: string; metadata: Record<string, string> }[]).filter(
    (o) => o.metadata.sluice_row?.startsWith(`${connectionId}/`) && !o.metadata.sluice_test,
  );

for (const [i, lang] of LANGUAGES.entries()) {
  test(`the seed's flow in the UI, from the owner's first start to three connections run and their rows (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const who = people(lang);
      await ui.goto('/');
      await ui.waitForPath('/setup');
      // The owner is created with the keyboard alone: Tab from field to field, Enter to submit.
      await ui.field('auth:fields.email').focus();
      await ui.page.keyboard.type(`owner.${lang}@example.com`);
      await ui.page.keyboard.press('Tab');
      await ui.page.keyboard.type('a long enough password');
      await ui.page.keyboard.press('Tab');
      await ui.page.keyboard.type('a long enough password');
      await ui.page.keyboard.press('Enter');
      await ui.waitForPath('/');

      const customers = await build(
        ui,
        {
          action: 'create_customer',
          csv: csvOf(
            ['Email', 'Name'],
            who.map((p) => [p.email, p.name]),
          ),
          mapping: { email: '{{Email}}', name: '{{Name}}' },
          schedule: async (u) => {
            await u.byRole('radio', 'wizard:schedule.kinds.interval').check();
            await u.field('wizard:schedule.minutes').fill('60');
          },
        },
        'customers.csv',
      );
      const customerIds = await runFromDashboard(ui, customers, 3);

      const items = await build(
        ui,
        {
          action: 'create_invoice_item',
          csv: csvOf(
            ['Email', 'Amount', 'What'],
            who.map((p) => [p.email, p.amount, p.what]),
          ),
          mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd', description: '{{What}}' },
          schedule: async (u) => {
            await u.byRole('radio', 'wizard:schedule.kinds.after').check();
            await u.field('wizard:schedule.afterConnection').selectOption({ label: customers.name });
          },
        },
        'lines.csv',
      );
      await runFromDashboard(ui, items, 3);

      const invoices = await build(
        ui,
        {
          action: 'create_invoice',
          csv: csvOf(
            ['Email'],
            who.map((p) => [p.email]),
          ),
          mapping: { customer: '{{Email}}', description: 'Sluice {{Email}}' },
          schedule: async (u) => {
            await u.byRole('radio', 'wizard:schedule.kinds.times').check();
            await u.field('wizard:schedule.time', { n: 1 }).fill('09:00');
          },
        },
        'invoices.csv',
      );
      const invoiceIds = await runFromDashboard(ui, invoices, 3);

      // What reached "Stripe": one customer per row, one item per line, one invoice per customer
      // holding that customer's line — never an empty invoice.
      assert.deepEqual(
        sluiceRows('customer', customers.id)
          .map((c) => c.id)
          .sort(),
        [...customerIds].sort(),
      );
      assert.equal(sluiceRows('invoiceitem', items.id).length, 3);
      const made = sluiceRows('invoice', invoices.id) as unknown as { id: string; amount_due: number; lines: { data: unknown[] } }[];
      assert.deepEqual(made.map((x) => x.id).sort(), [...invoiceIds].sort());
      for (const invoice of made) assert.ok(invoice.lines.data.length >= 1 && invoice.amount_due > 0, `empty invoice ${invoice.id}`);

      // At phone width every page fits: nothing but a table's own scroll box is wider than the screen.
      await ui.page.setViewportSize({ width: 375, height: 800 });
      for (const [path, name] of [
        ['/', 'phone-dashboard'],
        [`/connections/${items.id}/edit?step=mapping`, 'phone-wizard-mapping'],
        [`/connections/${items.id}/runs`, 'phone-runs'],
        ['/accounts', 'phone-accounts'],
      ] as const) {
        await ui.goto(path);
        await ui.page.locator('main h1').first().waitFor();
        const wide = await ui.page.evaluate<number>('document.documentElement.scrollWidth');
        await ui.screenshot(name);
        assert.ok(wide <= 375, `${path} is ${wide}px wide at a 375px screen`);
      }
    });
  });
}
