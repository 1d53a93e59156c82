import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { unnamedControls } from './support/a11y.js';
import { LANGUAGES, startBrowserHarness, type BrowserHarness, type UiPage } from './support/browser.js';
import { ownerApi } from './support/owner-api.js';

// A CSV file on the server is chosen from the import folder's files, not typed: the wizard shows
// the folder and, while it is empty, how to fill it; once files are copied there, the list offers
// them (subfolders too, never a link out of the folder), and the one picked is saved by its name.

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: LANGUAGES.length });
});
after(() => h?.close());

const next = (ui: UiPage) => ui.byRole('button', 'actions.next').click();

async function atStep(ui: UiPage, step: string): Promise<Locator> {
  const root = ui.page.locator(`[data-step="${step}"]`);
  await root.waitFor();
  await ui.byRole('heading', `wizard:steps.${step}`).waitFor();
  assert.deepEqual(await unnamedControls(ui.page), [], `controls without an accessible name on the ${step} step`);
  return root;
}

for (const [i, lang] of LANGUAGES.entries()) {
  test(`the wizard picks a CSV file from the import folder (${lang})`, async (tc) => {
    const sluice = h.sluices[i]!;
    const importDir = path.join(sluice.dataDir, 'imports');
    await h.withPage(tc, { lang, sluice }, async (ui) => {
      const { page } = ui;
      const api = await ownerApi(ui);
      const accountName = `Shop ${lang}`;
      await api('POST', '/api/accounts', { name: accountName, secretKey: `sk_test_${lang}${'f'.repeat(24)}` });

      await ui.goto('/');
      await ui.byRole('link', 'nav.newConnection').click();
      await ui.waitForPath('/connections/new');
      const source = await atStep(ui, 'source');
      await ui.byRole('radio', 'wizard:catalog.sources.csv.title').check();
      await ui.byRole('radio', 'wizard:source.csv.origins.path').check();

      // An empty folder: its path, and what to do.
      await source.getByText(ui.t('wizard:source.csv.serverFile.emptyTitle')).waitFor();
      await source.getByText(ui.t('wizard:source.csv.serverFile.empty', { folder: importDir })).waitFor();
      await ui.screenshot('import-folder-empty');

      // Files copied in; a link to a file outside is not offered.
      fs.writeFileSync(path.join(importDir, 'orders.csv'), `Email,Name\nada.${lang}@example.com,Ada\n`);
      fs.mkdirSync(path.join(importDir, '2026'));
      fs.writeFileSync(path.join(importDir, '2026', 'march.csv'), 'Email\nalan@example.com\n');
      const outside = path.join(sluice.dataDir, 'outside.csv');
      fs.writeFileSync(outside, 'Secret\nnot for the list\n');
      fs.symlinkSync(outside, path.join(importDir, 'link-out.csv'));
      await ui.byRole('button', 'wizard:source.csv.serverFile.refresh').click();

      const picker = ui.field('wizard:catalog.settings.csv.path.label');
      await picker.locator('option[value="orders.csv"]').waitFor({ state: 'attached' });
      const offered = await Promise.all((await picker.locator('option').all()).map((o) => o.getAttribute('value')));
      assert.deepEqual(offered, ['', '2026/march.csv', 'orders.csv']);
      await source.getByText(importDir, { exact: true }).waitFor();

      await picker.selectOption('orders.csv');
      await page.getByRole('rowheader', { name: 'Email', exact: true }).first().waitFor();
      await source.getByText(`ada.${lang}@example.com`).first().waitFor();
      await ui.screenshot('wizard-1-source-import-folder');
      await next(ui);

      await atStep(ui, 'action');
      await ui.byRole('radio', 'wizard:catalog.actions.stripe.create_customer.title').check();
      await next(ui);
      await atStep(ui, 'account');
      await page.getByRole('radio', { name: accountName, exact: true }).check();
      await next(ui);
      await atStep(ui, 'mapping');
      await ui.field('wizard:catalog.fields.stripe.create_customer.email.label').fill('{{Email}}');
      await next(ui);

      // Saved by its name in the folder, and previewed from it.
      await page.waitForURL((url) => /^\/connections\/con_[^/]+\/edit$/.test(url.pathname) && url.searchParams.get('step') === 'test');
      const id = new URL(page.url()).pathname.split('/')[2]!;
      const test = await atStep(ui, 'test');
      await test.getByText(`ada.${lang}@example.com`).first().waitFor();
      const saved = await api<{ source: unknown }>('GET', `/api/connections/${id}`);
      assert.deepEqual(saved.source, { type: 'csv', path: 'orders.csv' });
    });
  });
}
