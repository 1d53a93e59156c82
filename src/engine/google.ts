import type { OAuth2Client } from 'google-auth-library';
import type { GoogleConfig } from '../config.js';
import type { Result } from '../core/result.js';
import {
  checkAuth,
  oauthClient,
  parseServiceAccountKey,
  serviceAccountClient,
  type GoogleEndpoints,
} from '../sources/google-sheets/google-auth.js';
import { SheetsApi } from '../sources/google-sheets/sheets-api.js';
import type { AccountRecord } from '../store/accounts.js';
import type { SecretBox } from '../store/secret-box.js';

/** How the engine reaches Google: endpoints, the OAuth client, and an auth client per Google account. */
export interface GoogleAccess {
  endpoints: GoogleEndpoints;
  /** The OAuth client of "Connect Google account"; undefined when not configured. */
  oauth?: { clientId: string; clientSecret: string; redirectUri: string };
  /** An authorized client for a Google account (the service account's JWT, or OAuth with its refresh token). */
  auth(account: AccountRecord): OAuth2Client;
  /** The Sheets API as a Google account, or anonymous (published CSV links need none). */
  sheets(account: AccountRecord | undefined): SheetsApi | undefined;
  /** Obtains an access token: whether Google accepts the account's credentials. */
  check(account: AccountRecord): Promise<Result<{ email?: string }>>;
}

export function createGoogleAccess(config: GoogleConfig, secrets: SecretBox, publicUrl: () => string): GoogleAccess {
  const endpoints: GoogleEndpoints = { sheetsApiBase: config.sheetsApiBase, tokenUrl: config.tokenUrl, authUrl: config.authUrl };
  const clients = new Map<string, OAuth2Client>();
  const oauth = config.oauthClient && {
    ...config.oauthClient,
    get redirectUri() {
      return `${publicUrl()}/oauth/google/callback`;
    },
  };

  const create = (account: AccountRecord, secret: string): OAuth2Client => {
    if (account.type === 'google_service_account') {
      const key = parseServiceAccountKey(JSON.parse(secret));
      if (!key.ok) throw new Error(`the stored service account key is not valid: ${key.error}`);
      return serviceAccountClient(key.value, endpoints);
    }
    if (account.type === 'google_oauth') {
      if (!oauth)
        throw new Error('GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET are not set, so OAuth Google accounts cannot be used');
      return oauthClient({ ...oauth, endpoints, refreshToken: secret });
    }
    throw new Error(`account ${account.id} is a ${account.type} account, not a Google account`);
  };

  const auth = (account: AccountRecord): OAuth2Client => {
    const cacheKey = `${account.id}:${account.secret_sealed}`;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    const created = create(account, secrets.open(account.secret_sealed, account.id));
    clients.set(cacheKey, created);
    return created;
  };

  return {
    endpoints,
    ...(oauth && { oauth }),
    auth,
    sheets: (account) =>
      account ? new SheetsApi(auth(account), endpoints, { ...(account.email && { identity: account.email }) }) : undefined,
    async check(account) {
      try {
        return await checkAuth(auth(account));
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  };
}
