import { htmlErrorReply, type Reply } from './http.js';
import { newId } from './ids.js';
import type { PlainCall, PlainResult, PlainRoute } from './route.js';

/**
 * `GET /o/oauth2/v2/auth`, Google's consent screen, emulated: a known client is approved at once,
 * as the configured OAuth user, with a 302 back to `redirect_uri?state=…&code=…&scope=…`. Any
 * redirect_uri with an http(s) scheme is accepted (Google would also require it to be one of the
 * client's registered URIs); the token endpoint then requires the same one.
 */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

function consentError(error: string, detail: string): PlainResult {
  return { reply: htmlErrorReply(400, `Error 400: ${error}. ${detail}`) };
}

function consent(call: PlainCall): PlainResult {
  const q = call.query;
  const auth = call.store.auth;
  const clientId = q.get('client_id') ?? '';
  if (clientId === '') return consentError('invalid_request', 'Missing required parameter: client_id');
  if (!auth.clients.has(clientId)) return consentError('invalid_client', 'The OAuth client was not found.');
  const redirectUri = q.get('redirect_uri') ?? '';
  if (redirectUri === '') return consentError('invalid_request', 'Missing required parameter: redirect_uri');
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return consentError('invalid_request', `Invalid parameter value for redirect_uri: ${redirectUri}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return consentError('invalid_request', `Invalid parameter value for redirect_uri: ${redirectUri}`);
  }
  const responseType = q.get('response_type') ?? '';
  if (responseType !== 'code') return consentError('unsupported_response_type', `Invalid response_type: ${responseType}`);
  const scope = (q.get('scope') ?? '').trim().split(/\s+/).filter(Boolean).join(' ');
  if (scope === '') return consentError('invalid_request', 'Missing required parameter: scope');
  const challenge = q.get('code_challenge') ?? '';
  const method = q.get('code_challenge_method') ?? (challenge === '' ? '' : 'plain');
  if (method !== '' && method !== 'plain' && method !== 'S256')
    return consentError('invalid_request', `Invalid code_challenge_method: ${method}`);
  if (method !== '' && challenge === '') return consentError('invalid_request', 'Missing required parameter: code_challenge');

  const code = newId.authorizationCode();
  auth.codes.set(code, {
    clientId,
    redirectUri,
    scope,
    identity: auth.oauthUser,
    offline: q.get('access_type') === 'offline',
    expiresAtMs: call.nowMs + CODE_LIFETIME_MS,
    ...(challenge === '' ? {} : { codeChallenge: challenge, codeChallengeMethod: method === 'S256' ? 'S256' : 'plain' }),
  });
  const state = q.get('state');
  if (state !== null) target.searchParams.set('state', state);
  target.searchParams.set('code', code);
  target.searchParams.set('scope', scope);
  const reply: Reply = { status: 302, headers: { Location: target.href, 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
  return { reply, caller: auth.oauthUser };
}

export const oauthConsentRoutes: PlainRoute[] = [
  { kind: 'plain', method: 'GET', template: '/o/oauth2/v2/auth', run: consent },
  { kind: 'plain', method: 'GET', template: '/o/oauth2/auth', run: consent },
];
