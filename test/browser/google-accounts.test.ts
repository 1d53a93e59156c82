import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGoogleEmulator, type GoogleEmulator } from '../../src/emulator/google/index.js';
import { googleEnv, serviceAccountKey, sheetsAs, TestSheet } from '../support/google.js';
import { unnamedControls } from './support/a11y.js';
import { LANGUAGES, startBrowserHarness, type BrowserHarness, type Language, type UiPage } from './support/browser.js';

// Google accounts added in the web UI, against the Google emulator: a service account from its
// uploaded JSON key (wrong files named first), a Google account connected through the emulator's
// consent screen and back, and then the wizard's Google Sheets source reading a spreadsheet's tabs
// and columns through the service account. Once in each language, each on its own Sluice with OAuth
// set up; and a Sluice without it, where "Connect Google account" says who must set it up.

const CLIENT_ID = 'sluice-browser.apps.googleusercontent.com';
const CLIENT_SECRET = 'browser-client-secret';
const OAUTH_USER = 'person@example.com';
/** The spreadsheets' owner: someone else's account, who shares them with Sluice's service account. */
const owner = serviceAccountKey('owner@sluice-test.iam.gserviceaccount.com');
const PASSWORD = 'a long enough password';

let google: GoogleEmulator;
let h: BrowserHarness;
before(async () => {
  google = await startGoogleEmulator({ port: 0 });
  google.registerOAuthClient(CLIENT_ID, CLIENT_SECRET);
  google.setOAuthUser(OAUTH_USER);
  h = await startBrowserHarness({
    sluices: LANGUAGES.length,
    env: { ...googleEnv(google), GOOGLE_OAUTH_CLIENT_ID: CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET: CLIENT_SECRET },
  });
});
after(async () => {
  await h?.close();
  await google?.close();
});

/** The owner, created through the API with the page's own cookies, so the page is signed in. */
async function signIn(ui: UiPage): Promise<void> {
  const res = await ui.page.request.post(`${ui.sluice.url}/api/session/setup`, {
    data: { email: `owner.${ui.lang}@example.com`, password: PASSWORD },
    headers: { origin: ui.sluice.url },
  });
  assert.equal(res.status(), 201, await res.text());
}

/** The text of the focused element, to check where opening and closing a form leaves the keyboard. */
const focused = (ui: UiPage) => ui.page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');

/** A field's error (announced: role=alert) with exactly this text. */
const fieldError = (ui: UiPage, text: string) => ui.page.locator('.field__error[role="alert"]', { hasText: text });

const json = (value: unknown) => ({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value, null, 2)) });

async function addServiceAccount(ui: UiPage, lang: Language, email: string): Promise<void> {
  const { page } = ui;
  const name = `Sheets reader ${lang}`;
  await ui.byRole('button', 'accounts:serviceAccount.open').click();
  await ui.byRole('heading', 'accounts:serviceAccount.title').waitFor();
  assert.equal(await focused(ui), ui.t('accounts:serviceAccount.title'), 'opening the form moves focus to its heading');
  assert.deepEqual(await unnamedControls(page), [], 'controls without an accessible name in the service account form');
  await ui.field('accounts:connect.name').fill(name);

  // Wrong files are named at once, before anything is sent.
  const file = ui.field('accounts:serviceAccount.file');
  await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a key') });
  await fieldError(ui, ui.t('accounts:serviceAccount.problems.notJson')).waitFor();
  await file.setInputFiles(json({ installed: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } }));
  await fieldError(ui, ui.t('accounts:serviceAccount.problems.oauthClient')).waitFor();
  await ui.screenshot('accounts-google-key-wrong-file');

  // Pasted with the keyboard: a key without its private_key says which field is missing once left.
  await ui.byRole('radio', 'accounts:serviceAccount.from.paste').check();
  await ui.field('accounts:serviceAccount.paste').focus();
  await page.keyboard.type(JSON.stringify({ type: 'service_account', client_email: email }));
  await page.keyboard.press('Tab');
  await fieldError(ui, ui.t('accounts:serviceAccount.problems.missingField', { field: 'private_key' })).waitFor();

  // A key that only the server can tell is broken (no PEM in private_key): its message goes under the field.
  await ui.field('accounts:serviceAccount.paste').fill(JSON.stringify({ type: 'service_account', client_email: email, private_key: 'x' }));
  ui.allowHttpError(400, '/api/accounts');
  await ui.byRole('button', 'accounts:serviceAccount.submit').click();
  await fieldError(ui, 'private_key is not a PEM private key').waitFor();
  await ui.screenshot('accounts-google-key-server-error');

  // The real key file, uploaded: whose key it is shows before it is sent; the emulator accepts it.
  await ui.byRole('radio', 'accounts:serviceAccount.from.file').check();
  await file.setInputFiles(json(serviceAccountKey(email)));
  await page.getByText(ui.t('accounts:serviceAccount.fileKeyOf', { file: 'key.json', email })).waitFor();
  await ui.byRole('button', 'accounts:serviceAccount.submit').click();

  // Done: the address to share spreadsheets with, and a button that copies it.
  const added = page.getByRole('status').filter({ hasText: ui.t('accounts:serviceAccount.added', { name }) });
  await added.waitFor();
  assert.equal(await added.locator('code').textContent(), email);
  await added.getByText(ui.t('accounts:serviceAccount.roles')).waitFor();
  assert.equal(await focused(ui), ui.t('accounts:serviceAccount.open'), 'closing the form gives focus back to its button');
  await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.sluice.url });
  await added.getByRole('button', { name: ui.t('accounts:serviceAccount.copyEmail'), exact: true }).click();
  await added.getByText(ui.t('actions.copied'), { exact: true }).waitFor();
  assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), email);

  const card = page.locator('[data-account-id]').filter({ hasText: name });
  await card.getByText(email, { exact: true }).waitFor();
  await card.getByText(ui.t('status.active'), { exact: true }).waitFor();
  await ui.screenshot('accounts-google-service-account-added');
}

/** "Connect Google account": to the emulator's consent screen (it approves at once) and back to the Accounts page. */
async function connectWithOAuth(ui: UiPage, lang: Language): Promise<void> {
  const { page } = ui;
  const name = `My Google ${lang}`;
  await ui.byRole('button', 'accounts:oauth.open').click();
  await ui.byRole('heading', 'accounts:oauth.title').waitFor();
  await ui.field('accounts:connect.name').fill(name);
  await ui.screenshot('accounts-google-oauth-form');
  await ui.byRole('button', 'accounts:oauth.submit').click();
  // The callback's page sends the browser on to the Accounts page, which says so and drops its parameters.
  await page.getByText(ui.t('accounts:oauth.connected', { name }), { exact: true }).waitFor();
  await page.waitForURL((url) => url.pathname === '/accounts' && url.search === '');
  // (The emulator has no token info endpoint and issues no id_token, so the account's email is unknown here.)
  const card = page.locator('[data-account-id]').filter({ hasText: name });
  await card.getByText(ui.t('accounts:type.google_oauth'), { exact: true }).waitFor();
  await card.getByText(ui.t('status.active'), { exact: true }).waitFor();
  await ui.screenshot('accounts-google-oauth-connected');
}

/** The wizard's Google Sheets source: the service account offered, the spreadsheet's tabs listed, its columns read. */
async function sheetsSource(ui: UiPage, lang: Language, email: string): Promise<void> {
  const { page } = ui;
  const api = sheetsAs(google, owner);
  const sheet = await TestSheet.create(api, 'Orders', [
    ['Email', 'Name'],
    [`ada.${lang}@sheet.example`, 'Ada Lovelace'],
  ]);
  await api.spreadsheets.batchUpdate({
    spreadsheetId: sheet.id,
    requestBody: { requests: [{ addSheet: { properties: { title: 'Refunds' } } }] },
  });
  google.share(sheet.id, email, 'reader');

  await ui.byRole('link', 'nav.newConnection').click();
  await ui.waitForPath('/connections/new');
  await ui.byRole('radio', 'wizard:catalog.sources.google_sheets.title').check();
  const account = ui.field('wizard:catalog.settings.google_sheets.accountId.label');
  // Both Google accounts are offered, the OAuth one too.
  await account.locator('option', { hasText: `My Google ${lang}` }).waitFor({ state: 'attached' });
  await account.selectOption({ label: ui.t('wizard:source.sheets.accountOption', { name: `Sheets reader ${lang}`, email }) });
  await ui
    .field('wizard:catalog.settings.google_sheets.spreadsheet.label')
    .fill(`https://docs.google.com/spreadsheets/d/${sheet.id}/edit#gid=${sheet.sheetId}`);

  const tab = ui.field('wizard:catalog.settings.google_sheets.tab.label');
  await tab.locator('option', { hasText: 'Refunds' }).waitFor({ state: 'attached' });
  assert.deepEqual(await tab.locator('option').allTextContents(), ['Orders', 'Refunds']);
  assert.equal(await tab.inputValue(), 'Orders', 'the tab the link points at is chosen');
  await page.getByRole('rowheader', { name: 'Email', exact: true }).waitFor();
  await page.getByRole('rowheader', { name: 'Name', exact: true }).waitFor();
  await page.getByText(`ada.${lang}@sheet.example`, { exact: true }).waitFor();
  assert.deepEqual(await unnamedControls(page), [], 'controls without an accessible name in the Google Sheets source');
  await ui.screenshot('wizard-google-sheets-source');
}

for (const [i, lang] of LANGUAGES.entries()) {
  test(`Google accounts in the UI: a service account from its key file, OAuth through the consent screen, a sheet in the wizard (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const email = `sluice-${lang}@sluice-test.iam.gserviceaccount.com`;
      await signIn(ui);
      await ui.goto('/accounts');
      await ui.byRole('heading', 'accounts:title').waitFor();
      await addServiceAccount(ui, lang, email);
      await connectWithOAuth(ui, lang);
      await sheetsSource(ui, lang, email);
    });
  });
}

test('without GOOGLE_OAUTH_CLIENT_ID, "Connect Google account" says the administrator must set it up; the forms fit a phone', async (tc) => {
  const plain = await h.startSluice({ GOOGLE_OAUTH_CLIENT_ID: '', GOOGLE_OAUTH_CLIENT_SECRET: '' });
  await h.withPage(tc, { lang: 'uk', sluice: plain, context: { viewport: { width: 375, height: 800 } } }, async (ui) => {
    const { page } = ui;
    await signIn(ui);
    await ui.goto('/accounts');
    await ui.byRole('button', 'accounts:oauth.open').click();
    // No name: said under the field, nothing sent.
    await ui.byRole('button', 'accounts:oauth.submit').click();
    await fieldError(ui, ui.t('errors.required')).waitFor();
    await ui.field('accounts:connect.name').fill('Мій Google');
    ui.allowHttpError(409, '/api/accounts/google/connect');
    await ui.page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: ui.t('accounts:oauth.notSetUpTitle') });
    await alert.waitFor();
    await alert.getByText('GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET').first().waitFor();
    await alert.getByText(ui.t('accounts:oauth.notSetUp'), { exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/accounts', 'the browser stays on the page');
    await ui.screenshot('phone-accounts-google-oauth-not-set-up');
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 375, 'the page fits a 375px screen');

    await ui.byRole('button', 'actions.cancel').click();
    await ui.byRole('button', 'accounts:serviceAccount.open').click();
    await ui.byRole('radio', 'accounts:serviceAccount.from.paste').check();
    await ui.screenshot('phone-accounts-google-service-account');
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 375, 'the form fits a 375px screen');
  });
});
