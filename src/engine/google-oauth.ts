import { z } from 'zod';
import { authorizationUrl, exchangeCode, oauthClient } from '../sources/google-sheets/google-auth.js';
import type { AccountView } from './accounts.js';
import { newAccountRecord, storeCheckedAccount } from './accounts.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

const STATE_CONTEXT = 'google-oauth-state';
const STATE_TTL_MS = 15 * 60_000;

const connectBody = z.object({ name: z.string().trim().min(1, 'must not be empty').max(200) }).strict();

function configured(engine: Engine) {
  const oauth = engine.google.oauth;
  if (!oauth) {
    throw new ApiError(
      409,
      '"Connect Google account" is not set up: set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET (see the README), or add a service account instead',
    );
  }
  return oauth;
}

/**
 * Starts "Connect Google account": the URL of Google's consent screen. The `state` that travels
 * through Google is sealed with Sluice's encryption key (authenticated), so the callback can trust
 * the account name in it and that it is recent — no server-side session is needed.
 */
export function startGoogleConnect(engine: Engine, body: unknown): { authUrl: string; redirectUri: string } {
  const { name } = parseBody(connectBody, body);
  const oauth = configured(engine);
  const state = engine.secrets.seal(JSON.stringify({ name, exp: Date.now() + STATE_TTL_MS }), STATE_CONTEXT);
  const client = oauthClient({ ...oauth, endpoints: engine.google.endpoints });
  return { authUrl: authorizationUrl(client, state), redirectUri: oauth.redirectUri };
}

/** Google's redirect back: the code is exchanged for a refresh token, kept encrypted as a new account. */
export async function finishGoogleConnect(engine: Engine, query: { code?: string; state?: string; error?: string }): Promise<AccountView> {
  if (query.error) throw new ApiError(400, `Google did not connect the account: ${query.error}`);
  if (!query.code || !query.state) throw new ApiError(400, 'the link is missing its code or state; start "Connect Google account" again');
  let claims: { name: string; exp: number };
  try {
    claims = JSON.parse(engine.secrets.open(query.state, STATE_CONTEXT)) as { name: string; exp: number };
  } catch {
    throw new ApiError(400, 'the link is not one this Sluice started; start "Connect Google account" again');
  }
  if (claims.exp < Date.now()) throw new ApiError(400, 'the link has expired (15 minutes); start "Connect Google account" again');
  const oauth = configured(engine);
  const client = oauthClient({ ...oauth, endpoints: engine.google.endpoints });
  let tokens: { refreshToken: string; email?: string };
  try {
    tokens = await exchangeCode(client, query.code);
  } catch (error) {
    throw new ApiError(400, `Google refused the code: ${(error as Error).message}; start "Connect Google account" again`);
  }
  const record = newAccountRecord(
    {
      type: 'google_oauth',
      name: claims.name,
      secret: tokens.refreshToken,
      hint: `refresh token …${tokens.refreshToken.slice(-4)}`,
      ...(tokens.email && { email: tokens.email }),
    },
    (secret, id) => engine.secrets.seal(secret, id),
  );
  return storeCheckedAccount(engine, record);
}
