import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LANGUAGES, startBrowserHarness, t, type BrowserHarness } from './support/browser.js';

// The first start of a Sluice other machines can reach (bound to 0.0.0.0, reached here through
// 127.0.0.1, which is its SLUICE_PUBLIC_URL): the setup page asks for the one-time code from the
// server's log, refuses a wrong one, and creates the owner with the right one.

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery staple';
const CODE = /setup code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/;

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: 0 });
});
after(() => h?.close());

for (const lang of LANGUAGES) {
  test(`setup on a Sluice reachable from other machines asks for the code from the log (${lang})`, async (tc) => {
    const sluice = await h.startSluice((port) => ({ HOST: '0.0.0.0', SLUICE_PUBLIC_URL: `http://127.0.0.1:${port}` }));
    const code = CODE.exec(sluice.log())?.[1];
    assert.ok(code, `no setup code in the server's log:\n${sluice.log()}`);
    await h.withPage(tc, { lang, sluice }, async (ui) => {
      const { page } = ui;
      await ui.goto('/');
      await ui.waitForPath('/setup');
      await ui.byRole('heading', 'auth:setup.title').waitFor();
      await ui.field('auth:fields.email').fill(EMAIL);
      await ui.field('auth:fields.password').fill(PASSWORD);
      await ui.field('auth:fields.passwordRepeat').fill(PASSWORD);
      await ui.field('auth:fields.setupCode').fill('AAAA-BBBB-CCCC-DDDD');
      await page.getByText(ui.t('auth:fields.setupCodeHelp'), { exact: true }).waitFor();
      await ui.screenshot('setup-code');

      ui.allowHttpError(403, '/api/session/setup');
      await ui.byRole('button', 'auth:setup.submit').click();
      await page
        .getByRole('alert')
        .filter({ hasText: ui.t('auth:fields.setupCodeWrong') })
        .waitFor();
      assert.equal(new URL(page.url()).pathname, '/setup');

      // As a person may type it: lower case, spaces for dashes.
      await ui.field('auth:fields.setupCode').fill(code.toLowerCase().replace(/-/g, ' '));
      await ui.byRole('button', 'auth:setup.submit').click();
      await ui.waitForPath('/');
      await page
        .getByRole('navigation', { name: t(lang, 'nav.main'), exact: true })
        .getByRole('link', { name: t(lang, 'nav.connections'), exact: true })
        .waitFor();
    });
  });
}
