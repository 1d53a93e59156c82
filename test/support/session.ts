import assert from 'node:assert/strict';

export const TEST_OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };

/** A browser's login: the session cookie's token and the session's CSRF token. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
}

/**
 * Logs in to the Sluice at `base` as the test owner, creating the owner first when `setup` (a fresh
 * Sluice). Each call is a new session, as a second browser would have.
 */
export async function browserSession(base: string, o: { setup?: boolean } = {}): Promise<BrowserSession> {
  const res = await fetch(`${base}/api/session/${o.setup ? 'setup' : 'login'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TEST_OWNER),
  });
  const body = (await res.json()) as { csrfToken: string };
  assert.equal(res.status, o.setup ? 201 : 200, JSON.stringify(body));
  const cookie = /^sluice_session=([^;]*)/.exec(res.headers.getSetCookie().find((c) => c.startsWith('sluice_session=')) ?? '')?.[1];
  assert.ok(cookie, 'the answer sets the session cookie');
  return { cookie, csrf: body.csrfToken };
}

/** A request as the browser with `session` sends it: the cookie, and the CSRF token on a change. */
export function asBrowser(session: BrowserSession | undefined, init: RequestInit & { json?: unknown } = {}): RequestInit {
  const { json, headers, ...rest } = init;
  return {
    ...rest,
    headers: {
      ...(session && { cookie: `sluice_session=${session.cookie}`, 'x-csrf-token': session.csrf }),
      ...(json !== undefined && { 'content-type': 'application/json' }),
      ...(headers as Record<string, string> | undefined),
    },
    ...(json !== undefined && { body: JSON.stringify(json) }),
  };
}
