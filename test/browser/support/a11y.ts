import type { Page } from 'playwright-core';

/**
 * Visible form controls and buttons that a screen reader could not name: no <label>, no
 * aria-label(ledby), and, for a button, no text. Each as the start of its HTML, for the failure message.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')
      && !(el.tagName === 'BUTTON' && el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 160))`);
}
