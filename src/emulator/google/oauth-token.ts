import { createHash } from 'node:crypto';
import { invalidGrant, invalidRequest, OAuthError } from './errors.js';
import { jsonReply, type Reply } from './http.js';
import { newId } from './ids.js';
import { isObject } from './json.js';
import { checkAssertion, GOOGLE_TOKEN_AUDIENCES } from './jwt.js';
import type { PlainCall, PlainResult, PlainRoute } from './route.js';
import type { AuthState } from './store.js';

/**
 * `POST /token`, Google's https://oauth2.googleapis.com/token: the service-account JWT grant, the
 * authorization-code grant and the refresh grant. Also `POST /revoke`. Access tokens last 3599
 * seconds, as Google's do.
 */
export const ACCESS_TOKEN_SECONDS = 3599;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const NO_CACHE = { 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache' };

/** Google's token endpoint takes a form body and also JSON; both become the same parameters. */
function readParams(call: PlainCall): URLSearchParams {
  if (call.contentType === 'application/json') {
    try {
      const value: unknown = JSON.parse(call.body);
      if (isObject(value))
        return new URLSearchParams(Object.entries(value).flatMap(([k, v]): [string, string][] => (typeof v === 'string' ? [[k, v]] : [])));
    } catch {
      // Falls through: a body that is not JSON carries no parameters.
    }
    return new URLSearchParams();
  }
  return new URLSearchParams(call.body);
}

/** client_secret_post or client_secret_basic (RFC 6749 §2.3.1: the id and secret are form-encoded inside Basic). */
function authenticateClient(auth: AuthState, params: URLSearchParams, authorization: string | undefined): string {
  let clientId = params.get('client_id') ?? '';
  let clientSecret = params.get('client_secret') ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic !== null) {
    const [user = '', ...rest] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replaceAll('+', ' '));
      } catch {
        return s;
      }
    };
    clientId = decode(user);
    clientSecret = decode(rest.join(':'));
  }
  if (clientId === '') throw invalidRequest('Could not determine client ID from request.');
  const secret = auth.clients.get(clientId);
  if (secret === undefined) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (secret !== clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  return clientId;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw invalidRequest(`Missing required parameter: ${name}`);
  return value;
}

function issueAccessToken(auth: AuthState, identity: string, scope: string, nowMs: number): string {
  const token = newId.accessToken();
  auth.accessTokens.set(token, { identity, scopes: scope.split(/\s+/).filter(Boolean), expiresAtMs: nowMs + ACCESS_TOKEN_SECONDS * 1000 });
  return token;
}

interface Granted {
  body: Record<string, unknown>;
  identity: string;
}

type Grant = (call: PlainCall, params: URLSearchParams) => Granted;

/** The service account's own JWT: any well-formed RS256 assertion is accepted (see jwt.ts); the token acts as `sub` or else `iss`. */
const jwtBearer: Grant = (call, params) => {
  const assertion = required(params, 'assertion');
  const claims = checkAssertion(assertion, Math.floor(call.nowMs / 1000), [...GOOGLE_TOKEN_AUDIENCES, `${call.baseUrl}/token`]);
  const identity = claims.sub ?? claims.iss;
  const accessToken = issueAccessToken(call.store.auth, identity, claims.scope, call.nowMs);
  return { identity, body: { access_token: accessToken, expires_in: ACCESS_TOKEN_SECONDS, token_type: 'Bearer' } };
};

function checkVerifier(challenge: string, method: 'plain' | 'S256', verifier: string | null): void {
  if (verifier === null || verifier === '') throw invalidGrant('Missing code verifier.');
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  if (derived !== challenge) throw invalidGrant('Invalid code verifier.');
}

/** A code from the consent endpoint: single use, ten minutes, bound to its client and redirect_uri. */
const authorizationCode: Grant = (call, params) => {
  const auth = call.store.auth;
  const clientId = authenticateClient(auth, params, call.authorization);
  const code = required(params, 'code');
  const record = auth.codes.get(code);
  if (record === undefined || record.expiresAtMs <= call.nowMs || record.clientId !== clientId) {
    if (record !== undefined && record.expiresAtMs <= call.nowMs) auth.codes.delete(code);
    throw invalidGrant('Bad Request');
  }
  if ((params.get('redirect_uri') ?? '') !== record.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
  if (record.codeChallenge !== undefined)
    checkVerifier(record.codeChallenge, record.codeChallengeMethod ?? 'plain', params.get('code_verifier'));
  auth.codes.delete(code);
  const body: Record<string, unknown> = {
    access_token: issueAccessToken(auth, record.identity, record.scope, call.nowMs),
    expires_in: ACCESS_TOKEN_SECONDS,
  };
  if (record.offline) {
    const refreshToken = newId.refreshToken();
    auth.refreshTokens.set(refreshToken, { clientId, identity: record.identity, scope: record.scope });
    body.refresh_token = refreshToken;
  }
  return { identity: record.identity, body: { ...body, scope: record.scope, token_type: 'Bearer' } };
};

const refreshToken: Grant = (call, params) => {
  const auth = call.store.auth;
  const clientId = authenticateClient(auth, params, call.authorization);
  const record = auth.refreshTokens.get(required(params, 'refresh_token'));
  if (record === undefined || record.clientId !== clientId) throw invalidGrant('Token has been expired or revoked.');
  return {
    identity: record.identity,
    body: {
      access_token: issueAccessToken(auth, record.identity, record.scope, call.nowMs),
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: record.scope,
      token_type: 'Bearer',
    },
  };
};

const GRANTS: Readonly<Record<string, Grant>> = {
  [JWT_BEARER]: jwtBearer,
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
};

function oauthErrorReply(error: OAuthError): Reply {
  return jsonReply(error.httpStatus, error.body(), NO_CACHE);
}

function token(call: PlainCall): PlainResult {
  const params = readParams(call);
  const grantType = params.get('grant_type') ?? '';
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  try {
    if (grant === undefined) throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    const granted = grant(call, params);
    return { reply: jsonReply(200, granted.body, NO_CACHE), caller: granted.identity };
  } catch (error) {
    if (error instanceof OAuthError) return { reply: oauthErrorReply(error) };
    throw error;
  }
}

/** `POST /revoke?token=…` (or in the form body): forgets an access or refresh token. */
function revoke(call: PlainCall): PlainResult {
  const value = call.query.get('token') ?? readParams(call).get('token') ?? '';
  const auth = call.store.auth;
  const known = auth.accessTokens.delete(value) || auth.refreshTokens.delete(value);
  if (!known) return { reply: oauthErrorReply(new OAuthError(400, 'invalid_token', 'Token expired or revoked')) };
  return { reply: jsonReply(200, {}, NO_CACHE) };
}

export const oauthTokenRoutes: PlainRoute[] = [
  { kind: 'plain', method: 'POST', template: '/token', run: token },
  { kind: 'plain', method: 'POST', template: '/revoke', run: revoke },
];
