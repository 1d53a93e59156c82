import crypto from 'node:crypto';
import { z } from 'zod';
import { authorizationUrl, exchangeCode, oauthClient } from '../sources/google-sheets/google-auth.js';
import { nowIso } from '../store/ids.js';
import { deleteExpiredOAuthStates, insertOAuthState, oauthStateExists, takeOAuthState } from '../store/oauth-states.js';
import type { AccountView } from './accounts.js';
import { newAccountRecord, storeCheckedAccount } from './accounts.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

/** How long a started "Connect Google account" may take to come back. */
const STATE_TTL_MS = 15 * 60_000;

const AGAIN = 'start "Connect Google account" again';

/** The state is 32 random bytes; the store keeps only its sha256, so a copy of the store starts nothing. */
const hashState = (state: string) => crypto.createHash('sha256').update(state, 'utf8').digest('hex');

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
 * Starts "Connect Google account": the URL of Google's consent screen. Its `state` is random,
 * stored (hashed) with the login session that started it and an expiry, and taken once by the
 * callback (finishGoogleConnect), which must come back in the same session. So a link cannot be
 * replayed, used after 15 minutes, or completed in another browser — which would otherwise let
 * someone plant their own Google account in a victim's Sluice, or get a victim to connect theirs
 * into a flow someone else started.
 *
 * `sessionId` is the web UI's login session; an API-key client has none and is refused: Google
 * sends a browser back, not the script, so nothing would tie the callback to the key.
 */
export async function startGoogleConnect(
  engine: Engine,
  body: unknown,
  sessionId: string | undefined,
): Promise<{ authUrl: string; redirectUri: string }> {
  const { name } = parseBody(connectBody, body);
  const oauth = configured(engine);
  if (sessionId === undefined) {
    throw new ApiError(
      403,
      '"Connect Google account" must be started from the web UI, logged in: Google sends the browser back to Sluice, and the link works only in the login session that started it. An API key has no such session; log in to the web UI, or add a service account (POST /api/accounts) instead',
    );
  }
  const now = engine.now();
  await deleteExpiredOAuthStates(engine.db, nowIso(now));
  const state = crypto.randomBytes(32).toString('base64url');
  await insertOAuthState(engine.db, {
    state_hash: hashState(state),
    session_id: sessionId,
    account_name: name,
    created_at: nowIso(now),
    expires_at: nowIso(new Date(now.getTime() + STATE_TTL_MS)),
  });
  const client = oauthClient({ ...oauth, endpoints: engine.google.endpoints });
  return { authUrl: authorizationUrl(client, state), redirectUri: oauth.redirectUri };
}

/**
 * Google's redirect back: the state is taken (once, and only by the session that started it), then
 * the code is exchanged for a refresh token, kept encrypted as a new account. `sessionId` is the
 * login session of the browser that came back (its cookie).
 */
export async function finishGoogleConnect(
  engine: Engine,
  query: { code?: string; state?: string; error?: string },
  sessionId: string | undefined,
): Promise<AccountView> {
  if (query.error) throw new ApiError(400, `Google did not connect the account: ${query.error}`);
  if (!query.code || !query.state) throw new ApiError(400, `the link is missing its code or state; ${AGAIN}`);
  if (sessionId === undefined)
    throw new ApiError(
      400,
      `this browser is not logged in to Sluice; log in, then ${AGAIN} (the link works only in the session that started it)`,
    );
  const hash = hashState(query.state);
  const taken = await takeOAuthState(engine.db, hash, sessionId);
  if (!taken) {
    if (await oauthStateExists(engine.db, hash))
      throw new ApiError(400, `the link was started in another browser or login session; ${AGAIN} from this one`);
    throw new ApiError(400, `the link is not one this Sluice started, or it was used already; ${AGAIN}`);
  }
  if (taken.expires_at <= nowIso(engine.now())) throw new ApiError(400, `the link has expired (15 minutes); ${AGAIN}`);
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
      name: taken.account_name,
      secret: tokens.refreshToken,
      hint: `refresh token …${tokens.refreshToken.slice(-4)}`,
      ...(tokens.email && { email: tokens.email }),
    },
    (secret, id) => engine.secrets.seal(secret, id),
  );
  return storeCheckedAccount(engine, record);
}
