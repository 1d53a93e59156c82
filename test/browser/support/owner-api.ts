import assert from 'node:assert/strict';
import type { UiPage } from './browser.js';

/** A request to the API as the signed-in owner of the page's Sluice. */
export type OwnerApi = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<T>;

/**
 * Sets up the owner through `page.request`, whose cookies are the page's, so the page is signed in
 * too; then calls the API as that owner, with the session's CSRF token and the page's Origin, as the
 * UI itself does. Any answer but a 2xx fails the test, with its body.
 */
export async function ownerApi(ui: UiPage): Promise<OwnerApi> {
  const origin = ui.sluice.url;
  const setup = await ui.page.request.post(`${origin}/api/session/setup`, {
    headers: { origin },
    data: { email: `owner.${ui.lang}@example.com`, password: 'a long enough password' },
  });
  assert.equal(setup.status(), 201, await setup.text());
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  return async <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> => {
    const res = await ui.page.request.fetch(`${origin}${path}`, {
      method,
      headers: { origin, 'x-csrf-token': csrfToken },
      ...(body !== undefined && { data: body }),
    });
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
}
