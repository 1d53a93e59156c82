import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import { startStripeEmulator, type StripeEmulator } from '../../../src/emulator/stripe/index.js';
import { UI_DIR } from '../../../src/server/ui.js';
import type { Language } from './catalogs.js';
import { startSluiceServer, type ServerEnv, type SluiceServer } from './sluice-server.js';
import { uiPage, withBrowserDetails, type UiPage } from './ui-page.js';

export { LANGUAGES, t, type Language } from './catalogs.js';
export type { SluiceServer } from './sluice-server.js';
export { screenshot, SCREENSHOTS_DIR, type UiPage } from './ui-page.js';

// Browser tests: a real Chromium against `sluice serve` (from source, as a child process) with the
// built UI (dist/ui, built by `npm run build:ui`; `npm test` builds it first) and its own Stripe
// emulator. One harness — one browser — per test file; one fresh context per page, so cookies and
// the saved language never leak from one test to the next. See test/browser/NOTES.md.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless in a container: no sandbox (no user namespaces there), no GPU, and nothing that phones home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The locale each language's context gets, as navigator.languages, so the UI starts in that language. */
const LOCALES: Record<Language, string> = { en: 'en-US', uk: 'uk-UA' };

/**
 * Playwright's default is 30 s a step; a step of this UI that takes 10 s is a failure worth
 * seeing early, and a failing file then still ends well within its budget.
 */
const STEP_TIMEOUT_MS = 10_000;

export interface BrowserHarness {
  browser: Browser;
  emulator: StripeEmulator;
  /** The first of `sluices`: the server pages open on unless told otherwise. */
  sluice: SluiceServer;
  /** All servers started with the harness, each on a fresh data dir (a first start: no owner yet). */
  sluices: SluiceServer[];
  /** Starts one more fresh `sluice serve`; the harness closes it. */
  /** Another fresh server; `env` may be a function of its port. */
  startSluice(env?: ServerEnv): Promise<SluiceServer>;
  /**
   * Opens a page in a fresh context in `lang` on `sluice` (Default: the harness's first), runs
   * `fn`, and closes the context whatever happens. Then fails if the page logged a console error,
   * threw, or got an HTTP error not allowed with `ui.allowHttpError`. When anything fails, the
   * error says so and carries a full-page screenshot's path, the page's problems and the server's
   * last log lines. `test` is node:test's context (for the screenshot's name).
   */
  withPage(
    test: { name: string },
    o: { lang: Language; sluice?: SluiceServer; context?: BrowserContextOptions },
    fn: (ui: UiPage) => Promise<void>,
  ): Promise<void>;
  /** Closes the browser, every server (removing its data dir) and the emulator. Safe to call twice. */
  close(): Promise<void>;
}

/** Fails with a clear message when Chromium is missing: browser tests never skip (CI installs it). */
function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}. The browser tests need it: install Debian's chromium ` +
        '(sudo apt-get install --no-install-recommends chromium; .ci/run does) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

const UI_INDEX = path.join(UI_DIR, 'index.html');

/** Fails when the UI is not built, warns when it is older than its sources; returns the build's time. */
function requireBuiltUi(): number {
  if (!fs.existsSync(UI_INDEX)) {
    throw new Error(`the UI is not built (no ${path.relative(root, UI_INDEX)}): run npm run build:ui first (npm test does)`);
  }
  const built = fs.statSync(UI_INDEX).mtimeMs;
  const newer = newestFile(path.join(root, 'ui/src'));
  if (newer && newer.mtimeMs > built) {
    console.warn(`warning: ${path.relative(root, newer.file)} changed after the last UI build; run npm run build:ui to test it`);
  }
  return built;
}

/**
 * `vite build` empties dist/ui before writing it, and `sluice serve` looks for the UI once, when it
 * starts: a build running elsewhere (another terminal, another test run) at that moment leaves the
 * server without its UI for good, answering 503. Said plainly here rather than as a timeout later.
 */
async function requireServedUi(server: SluiceServer): Promise<void> {
  const res = await fetch(`${server.url}/`);
  if (res.status !== 200) {
    throw new Error(
      `sluice serve at ${server.url} does not serve the UI (GET / answered ${res.status}: ${(await res.text()).slice(0, 120)}); ` +
        'was dist/ui being rebuilt (npm run build:ui) while it started?',
    );
  }
}

/** A note for failure messages when dist/ui changed or vanished during the test: a build ran meanwhile. */
function uiRebuiltNote(builtAt: number): string | undefined {
  const now = fs.existsSync(UI_INDEX) ? fs.statSync(UI_INDEX).mtimeMs : undefined;
  if (now === builtAt) return undefined;
  return `note: ${path.relative(root, UI_INDEX)} was ${now === undefined ? 'removed' : 'rebuilt'} while the test ran (npm run build:ui elsewhere?); the server may lack its UI`;
}

function newestFile(dir: string): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const relative of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, relative);
    const stat = fs.statSync(file);
    if (stat.isFile() && (!newest || stat.mtimeMs > newest.mtimeMs)) newest = { file, mtimeMs: stat.mtimeMs };
  }
  return newest;
}

/**
 * Starts a Stripe emulator, `sluices` fresh `sluice serve` children (Default: 1) and one headless
 * Chromium, all at once. Call in `before()` and close in `after()`.
 */
export async function startBrowserHarness(o: { sluices?: number; env?: Record<string, string> } = {}): Promise<BrowserHarness> {
  requireChromium();
  const builtAt = requireBuiltUi();
  const servers: SluiceServer[] = [];
  let browser: Browser | undefined;
  let emulator: StripeEmulator | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Each is closed even when another fails to, and the first failure is reported.
    const results = await Promise.allSettled([browser?.close(), ...servers.map((s) => s.close())]);
    await emulator?.close();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };

  try {
    emulator = await startStripeEmulator({ port: 0 });
    // Everything is waited for, even after a failure, so that close() finds all there is to close.
    const started = await Promise.allSettled([
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
      ...Array.from({ length: o.sluices ?? 1 }, () => startSluiceServer(emulator as StripeEmulator, o.env ?? {})),
    ]);
    for (const r of started) {
      if (r.status === 'rejected') continue;
      if ('newContext' in r.value) browser = r.value;
      else servers.push(r.value);
    }
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(servers.map(requireServedUi));
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  const theEmulator = emulator;
  const theBrowser = browser as Browser;
  return {
    browser: theBrowser,
    emulator: theEmulator,
    sluice: servers[0] as SluiceServer,
    sluices: servers,
    async startSluice(env = {}) {
      const server = await startSluiceServer(theEmulator, (port) => ({ ...o.env, ...(typeof env === 'function' ? env(port) : env) }));
      servers.push(server);
      await requireServedUi(server);
      return server;
    },
    withPage: (test, options, fn) =>
      withPage(theBrowser, options.sluice ?? (servers[0] as SluiceServer), test, options, fn, () => uiRebuiltNote(builtAt)),
    close,
  };
}

async function withPage(
  browser: Browser,
  sluice: SluiceServer,
  test: { name: string },
  o: { lang: Language; context?: BrowserContextOptions },
  fn: (ui: UiPage) => Promise<void>,
  note: () => string | undefined,
): Promise<void> {
  const context = await browser.newContext({
    baseURL: sluice.url,
    viewport: { width: 1280, height: 900 },
    locale: LOCALES[o.lang],
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...o.context,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const ui = uiPage(page, context, sluice, o.lang);
  try {
    await fn(ui);
    ui.assertNoProblems();
  } catch (error) {
    throw await withBrowserDetails(error, ui, test.name, note());
  } finally {
    await context.close();
  }
}
