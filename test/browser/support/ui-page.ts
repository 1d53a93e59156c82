import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { t, type Language } from './catalogs.js';
import type { SluiceServer } from './sluice-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where `screenshot()` writes: `<dir>/<language>/<name>.png`. (Default: test-output/screenshots) */
export const SCREENSHOTS_DIR = process.env.SLUICE_SCREENSHOTS_DIR ?? path.join(root, 'test-output/screenshots');

/** A page of the UI in one language, with the helpers tests need to find things by their text. */
export interface UiPage {
  lang: Language;
  page: Page;
  context: BrowserContext;
  sluice: SluiceServer;
  /** The UI's text in this page's language: `ui.t('auth:login.wrong')`. */
  t(key: string, vars?: Record<string, string | number>): string;
  /** Goes to a path of the UI and waits for the page to load. */
  goto(pathname: string): Promise<void>;
  /** Waits until the URL's path is `pathname` (client-side navigations included). */
  waitForPath(pathname: string): Promise<void>;
  /** The element with this role whose accessible name is exactly the catalog's text. */
  byRole(role: Parameters<Page['getByRole']>[0], key: string, vars?: Record<string, string | number>): Locator;
  /** The form control labelled by the catalog's text (with or without the "* Required" mark fields add). */
  field(key: string, vars?: Record<string, string | number>): Locator;
  /** Waits until html[lang] is `lang`. */
  waitForHtmlLang(lang: Language): Promise<void>;
  /** Saves a full-page screenshot as `<SCREENSHOTS_DIR>/<shown language>/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Lets answers with this status to this path (exact, or a RegExp on the path) pass as expected. */
  allowHttpError(status: number, pathname: string | RegExp): void;
  /** Console errors, uncaught exceptions and unexpected HTTP errors and failed requests so far. */
  problems(): string[];
  /** Fails now if there are problems (withPage checks again at the end, and lists them on any failure). */
  assertNoProblems(): void;
}

/**
 * Wraps a fresh page and starts collecting its problems: console errors, uncaught exceptions, and
 * HTTP errors and failed requests that the test did not allow.
 */
export function uiPage(page: Page, context: BrowserContext, sluice: SluiceServer, lang: Language): UiPage {
  const problems: string[] = [];
  const allowed: { status: number; pathname: string | RegExp }[] = [];
  pageLanguage.set(page, lang);

  page.on('console', (message) => {
    // Chromium logs every 4xx/5xx and failed request too; those are judged below, with what is allowed.
    if (message.type() !== 'error' || message.text().startsWith('Failed to load resource:')) return;
    const where = message.location();
    problems.push(`console error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${(error.stack ?? error.message).split('\n').slice(0, 4).join('\n    ')}`));
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const { pathname } = new URL(response.url());
    const ok = allowed.some(
      (a) => a.status === status && (typeof a.pathname === 'string' ? a.pathname === pathname : a.pathname.test(pathname)),
    );
    if (!ok) problems.push(`HTTP ${status}: ${response.request().method()} ${pathname}`);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // A fetch cut short by a navigation or reload is the browser's doing, not the app's.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${failure})`);
  });

  const tr = (key: string, vars?: Record<string, string | number>) => t(lang, key, vars);
  return {
    lang,
    page,
    context,
    sluice,
    t: tr,
    async goto(pathname) {
      await page.goto(pathname);
    },
    async waitForPath(pathname) {
      await page.waitForURL((url) => url.pathname === pathname);
    },
    byRole: (role, key, vars) => page.getByRole(role, { name: tr(key, vars), exact: true }),
    field(key, vars) {
      const required = escapeRegExp(tr('errors.required'));
      return page.getByLabel(new RegExp(`^${escapeRegExp(tr(key, vars))}(\\s*\\*\\s*${required})?$`));
    },
    async waitForHtmlLang(want) {
      await page.locator(`html[lang="${want}"]`).waitFor({ state: 'attached' });
    },
    screenshot: (name) => screenshot(page, name),
    allowHttpError(status, pathname) {
      allowed.push({ status, pathname });
    },
    problems: () => [...problems],
    assertNoProblems() {
      // withPage lists them under "page problems" in the failure message.
      if (problems.length) throw new Error(`the page had ${problems.length} problem(s) (console errors, exceptions or HTTP errors)`);
    },
  };
}

const pageLanguage = new WeakMap<Page, Language>();

/**
 * Saves a full-page PNG as `<SCREENSHOTS_DIR>/<language>/<name>.png`, the language being the one
 * the page shows (html[lang]), and returns the file's path.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const shown = await page
    .locator('html')
    .getAttribute('lang', { timeout: 1000 })
    .catch(() => null);
  const file = path.join(SCREENSHOTS_DIR, shown || pageLanguage.get(page) || 'unknown', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // From the top: a page scrolled down would show its sticky header in the middle of the picture.
  await page.evaluate('window.scrollTo(0, 0)').catch(() => undefined);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/** The error, with what the browser saw appended: where the page was, a screenshot and its problems. */
export async function withBrowserDetails(error: unknown, ui: UiPage, testName: string, note?: string): Promise<Error> {
  const details = [`page: ${ui.page.url()} (${ui.lang})`, ...(note ? [note] : [])];
  try {
    details.push(`screenshot: ${await screenshot(ui.page, `failed-${slug(testName)}`)}`);
  } catch (e) {
    details.push(`screenshot: none (${(e as Error).message.split('\n')[0]})`);
  }
  const problems = ui.problems();
  details.push(problems.length ? `page problems:\n  ${problems.join('\n  ')}` : 'page problems: none');
  const log = ui.sluice.log();
  if (log) details.push(`sluice serve's last log lines:\n  ${log.split('\n').join('\n  ')}`);
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(`${message}\n\n${details.join('\n')}`);
  // The test's own frames, not withBrowserDetails': where the failing step is.
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : [];
  wrapped.stack = [`Error: ${wrapped.message}`, ...frames].join('\n');
  return wrapped;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
