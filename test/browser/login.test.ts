import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LANGUAGES, startBrowserHarness, t, type BrowserHarness, type Language, type UiPage } from './support/browser.js';

// The owner's first start, logout, login and the session cookie, in each language on its own fresh
// Sluice: every text is looked up in the UI's catalogs, so the same steps run in English and Ukrainian.

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery staple';
/** The cookie that carries the session (src/server/session-cookie.ts). */
const SESSION_COOKIE = 'sluice_session';

let h: BrowserHarness;
before(async () => {
  h = await startBrowserHarness({ sluices: LANGUAGES.length });
});
after(() => h?.close());

const other = (lang: Language): Language => (lang === 'en' ? 'uk' : 'en');

/** Waits for the signed-in layout: its main navigation with its links, in `lang`. */
async function seeLayout(ui: UiPage, lang: Language = ui.lang): Promise<void> {
  const nav = ui.page.getByRole('navigation', { name: t(lang, 'nav.main'), exact: true });
  await nav.getByRole('link', { name: t(lang, 'nav.connections'), exact: true }).waitFor();
  await nav.getByRole('link', { name: t(lang, 'nav.accounts'), exact: true }).waitFor();
}

async function signIn(ui: UiPage, password: string): Promise<void> {
  await ui.field('auth:fields.email').fill(EMAIL);
  await ui.field('auth:fields.password').fill(password);
  await ui.byRole('button', 'auth:login.submit').click();
}

for (const [i, lang] of LANGUAGES.entries()) {
  test(`first start, setup, logout, login and the session cookie (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const { page, context } = ui;

      await ui.goto('/');
      await ui.waitForPath('/setup');
      await ui.byRole('heading', 'auth:setup.title').waitFor();
      await ui.waitForHtmlLang(lang);
      await ui.screenshot('setup');

      // The form checks the two passwords before asking the server.
      await ui.field('auth:fields.email').fill(EMAIL);
      await ui.field('auth:fields.password').fill(PASSWORD);
      await ui.field('auth:fields.passwordRepeat').fill(`${PASSWORD}!`);
      await ui.byRole('button', 'auth:setup.submit').click();
      await page
        .getByRole('alert')
        .filter({ hasText: ui.t('auth:fields.passwordMismatch') })
        .waitFor();
      await ui.field('auth:fields.passwordRepeat').fill(PASSWORD);
      await ui.byRole('button', 'auth:setup.submit').click();
      await ui.waitForPath('/');
      await seeLayout(ui);

      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(session, `no ${SESSION_COOKIE} cookie after setup; cookies: ${cookies.map((c) => c.name).join(', ') || 'none'}`);
      assert.equal(session.httpOnly, true, 'the session cookie is not HttpOnly');
      assert.equal(session.sameSite, 'Lax');
      const visible = await page.evaluate<string>('document.cookie');
      assert.ok(!visible.includes(SESSION_COOKIE) && !visible.includes(session.value), `page scripts see the session cookie: ${visible}`);

      await ui.byRole('button', 'nav.logout').click();
      await ui.waitForPath('/login');
      await ui.byRole('heading', 'auth:login.title').waitFor();
      assert.equal(
        (await context.cookies()).find((c) => c.name === SESSION_COOKIE),
        undefined,
        'logout left the session cookie',
      );
      await ui.screenshot('login');

      ui.allowHttpError(401, '/api/session/login');
      await signIn(ui, 'not the password');
      await page
        .getByRole('alert')
        .filter({ hasText: ui.t('auth:login.wrong') })
        .waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');

      await signIn(ui, PASSWORD);
      await ui.waitForPath('/');
      await seeLayout(ui);

      await page.reload();
      await seeLayout(ui);
      assert.equal(new URL(page.url()).pathname, '/', 'a reload lost the session');
    });
  });

  test(`the language switcher changes every text at once, and the choice survives a reload (${lang})`, async (tc) => {
    // The owner exists from the test above; a new context is a new browser profile: no session, no saved language.
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const { page } = ui;
      const to = other(lang);
      await ui.goto('/login');
      await ui.waitForHtmlLang(lang);
      await signIn(ui, PASSWORD);
      await ui.waitForPath('/');
      await seeLayout(ui);

      await ui.byRole('combobox', 'nav.language').selectOption(to);
      await seeLayout(ui, to);
      await ui.waitForHtmlLang(to);
      await assertShownIn(ui, to);

      await page.reload();
      await seeLayout(ui, to);
      await ui.waitForHtmlLang(to);
      await assertShownIn(ui, to);

      // And back, on the login page too.
      await page.getByRole('combobox', { name: t(to, 'nav.language'), exact: true }).selectOption(lang);
      await seeLayout(ui, lang);
      await ui.byRole('button', 'nav.logout').click();
      await ui.byRole('heading', 'auth:login.title').waitFor();
      await ui.byRole('combobox', 'nav.language').selectOption(to);
      await page.getByRole('heading', { name: t(to, 'auth:login.title'), exact: true }).waitFor();
      await page.getByRole('button', { name: t(to, 'auth:login.submit'), exact: true }).waitFor();
      await ui.waitForHtmlLang(to);
    });
  });
}

/** Layout texts: every one is shown in `lang`, and none is left in the other language. */
const LAYOUT_TEXTS = [
  'nav.main',
  'nav.connections',
  'nav.accounts',
  'nav.newConnection',
  'nav.language',
  'nav.logout',
  'nav.skipToContent',
];

async function assertShownIn(ui: UiPage, lang: Language): Promise<void> {
  const { page } = ui;
  const stale: string[] = [];
  const missing: string[] = [];
  for (const key of LAYOUT_TEXTS) {
    const want = t(lang, key);
    const old = t(other(lang), key);
    // Text content or an aria-label (the nav's), visible or visually hidden.
    const present = async (text: string) =>
      (await page.getByText(text, { exact: true }).count()) + (await page.getByLabel(text, { exact: true }).count()) > 0;
    if (!(await present(want))) missing.push(`${key} "${want}"`);
    if (old !== want && (await present(old))) stale.push(`${key} "${old}"`);
  }
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, `after switching to ${lang}`);
}
