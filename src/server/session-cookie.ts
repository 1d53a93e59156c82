import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie that carries a session's token. Stable: renaming it logs everyone out. */
export const SESSION_COOKIE = 'sluice_session';

export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE] || undefined;
}

/**
 * Secure whenever the browser reached Sluice over HTTPS: the request itself came over TLS, or the
 * public URL is https:// (TLS ends at a proxy in front, so the request arrives here as plain
 * http). It is left off only for plain http — local use and tests on 127.0.0.1 — where browsers
 * would drop a Secure cookie and nobody could log in.
 */
function secure(request: FastifyRequest, publicUrl: string): boolean {
  return request.protocol === 'https' || publicUrl.startsWith('https://');
}

/**
 * HttpOnly: page scripts never see the token, so an injected script cannot carry it off.
 * SameSite=Lax: other sites' pages cannot make the browser send it with their POSTs.
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, publicUrl: string, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secure(request, publicUrl),
    maxAge: Math.max(0, Math.ceil((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, publicUrl: string): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: secure(request, publicUrl) });
}
