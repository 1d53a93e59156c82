import { createPrivateKey } from 'node:crypto';
import { JWT, OAuth2Client } from 'google-auth-library';
import { quote } from '../../core/field-error.js';
import { fail, ok, type Result } from '../../core/result.js';
import { GOOGLE_TOKEN_URL, SHEETS_SCOPE, type GoogleEndpoints } from './endpoints.js';

export { GOOGLE_ENDPOINTS, type GoogleEndpoints } from './endpoints.js';
import { GoogleSheetsError } from './google-sheets-error.js';
import { errorCode, httpStatus, oauthError, requestUrl } from './google-error-body.js';

/**
 * The JSON key file Google gives for a service account (IAM → Service accounts → Keys → Add key →
 * JSON), with the fields Sluice uses. Field names are the file's own, so a key round-trips as is.
 */
export interface ServiceAccountKey {
  type: 'service_account';
  /** The service account's address: the one a sheet is shared with. */
  client_email: string;
  /** PKCS#8 PEM. Secret: never shown, never put in a message. */
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  client_id?: string;
  token_uri?: string;
}

const OPTIONAL_TEXT = ['private_key_id', 'project_id', 'client_id', 'token_uri'] as const;
const HOW_TO_GET_A_KEY =
  'in the Google Cloud console open IAM → Service accounts → the account → Keys → Add key → JSON, and give that file';

/**
 * Checks a service account key file (its parsed JSON, or its text). Messages name the field and
 * what is wrong; they never hold the private key, nor any part of the text given (a JSON parse error
 * would quote it).
 */
export function parseServiceAccountKey(json: unknown): Result<ServiceAccountKey> {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return fail(`the service account key is not JSON; ${HOW_TO_GET_A_KEY}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`the service account key must be the JSON object of a key file; ${HOW_TO_GET_A_KEY}`);
  }
  const file = value as Record<string, unknown>;
  if (file.installed !== undefined || file.web !== undefined) {
    return fail(`this is an OAuth client file, not a service account key; ${HOW_TO_GET_A_KEY}`);
  }
  if (file.type !== 'service_account') {
    const type = typeof file.type === 'string' ? `is ${quote(file.type)}` : 'is missing';
    return fail(`type ${type}; a service account key has "type": "service_account" (${HOW_TO_GET_A_KEY})`);
  }

  const email = file.client_email;
  if (typeof email !== 'string' || email.trim() === '')
    return fail('client_email is missing; a service account key names its address in client_email');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return fail(`client_email ${quote(email)} is not an email address`);

  const privateKey = file.private_key;
  if (typeof privateKey !== 'string' || privateKey.trim() === '')
    return fail('private_key is missing; the key file holds it as a PEM text');
  // A key pasted through an environment variable or a form often arrives with its line breaks
  // written as the two characters \n; the PEM is unreadable that way.
  const pem = privateKey.includes('\\n') && !privateKey.includes('\n') ? privateKey.replaceAll('\\n', '\n') : privateKey;
  if (!pem.includes('-----BEGIN') || !isPrivateKey(pem)) {
    return fail('private_key is not a PEM private key; it starts with -----BEGIN PRIVATE KEY----- (copy the whole key file again)');
  }

  const key: ServiceAccountKey = { type: 'service_account', client_email: email.trim(), private_key: pem };
  for (const name of OPTIONAL_TEXT) {
    const field = file[name];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return fail(`${name} must be text`);
    key[name] = field;
  }
  if (key.token_uri !== undefined && !URL.canParse(key.token_uri)) return fail(`token_uri ${quote(key.token_uri)} is not a URL`);
  return ok(key);
}

function isPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * A client that signs in as the service account, for the spreadsheets scope.
 *
 * The token endpoint: the JWT client gets its tokens through gtoken, which posts to a constant
 * `https://oauth2.googleapis.com/token` and has no option to change it (neither JWT nor
 * GoogleToken takes a token URL; JWT's `endpoints.oauth2TokenUrl` is only used by OAuth2Client's
 * own code paths). What JWT does hand to gtoken is its gaxios transporter (`transporter:
 * this.transporter` in jwtclient.js), a documented, public option of every AuthClient. So a request
 * interceptor on that transporter rewrites exactly that one URL to `endpoints.tokenUrl`, and leaves
 * every other request (the Sheets API calls go through the same transporter) alone. The assertion
 * keeps `aud: https://oauth2.googleapis.com/token`: that is the audience Google requires, and the
 * emulator accepts it.
 */
export function serviceAccountClient(key: ServiceAccountKey, endpoints: GoogleEndpoints): JWT {
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    ...(key.private_key_id === undefined ? {} : { keyId: key.private_key_id }),
    scopes: [SHEETS_SCOPE],
  });
  if (endpoints.tokenUrl.href !== GOOGLE_TOKEN_URL) {
    const tokenUrl = endpoints.tokenUrl.href;
    client.transporter.interceptors.request.add({
      resolved: async (options) => {
        if (options.url.href === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
        return options;
      },
    });
  }
  return client;
}

export interface OAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Where Google sends the person back with a code: Sluice's callback URL, as registered with Google. */
  redirectUri: string;
  endpoints: GoogleEndpoints;
  /** A refresh token from `exchangeCode`, to act for that account. */
  refreshToken?: string;
}

/** A client for the OAuth code flow ("Sign in with Google" to let Sluice read a person's sheets). */
export function oauthClient(o: OAuthClientOptions): OAuth2Client {
  const client = new OAuth2Client({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    redirectUri: o.redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: o.endpoints.authUrl.href,
      oauth2TokenUrl: o.endpoints.tokenUrl.href,
      // Not configured on its own: Google's token info lives beside the token endpoint
      // (…/token → …/tokeninfo), and so does the emulator's.
      tokenInfoUrl: new URL('tokeninfo', o.endpoints.tokenUrl).href,
    },
  });
  if (o.refreshToken !== undefined) client.setCredentials({ refresh_token: o.refreshToken });
  return client;
}

/**
 * The address to send a person to. `access_type: offline` and `prompt: consent` make Google give a
 * refresh token every time (without `consent`, a second sign-in gives none, and the account could not
 * be used once the person leaves); `openid email` makes the answer say which account it is.
 * `state` comes back with the code: the caller makes it unguessable and checks it (CSRF).
 */
export function authorizationUrl(client: OAuth2Client, state: string): string {
  return client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: [SHEETS_SCOPE, 'openid', 'email'], state });
}

/**
 * Trades the code Google sent back for a refresh token, and finds the account's email: from the
 * id_token when Google gave one, else from the token info; no email is not an error. The client
 * keeps the tokens, so it can be used at once.
 */
export async function exchangeCode(client: OAuth2Client, code: string): Promise<{ refreshToken: string; email?: string }> {
  let tokens;
  try {
    ({ tokens } = await client.getToken(code));
  } catch (error) {
    throw new GoogleSheetsError(
      'auth',
      `Google refused the authorization code: ${describeTokenError(error)}; start the sign-in again`,
      httpStatus(error),
      {
        cause: error,
      },
    );
  }
  if (typeof tokens.refresh_token !== 'string' || tokens.refresh_token === '') {
    throw new GoogleSheetsError(
      'auth',
      'Google gave no refresh token, so Sluice could not read the sheets later; remove Sluice from the account (myaccount.google.com → Security → Third-party access) and sign in again',
    );
  }
  client.setCredentials(tokens);
  const email = emailFromIdToken(tokens.id_token) ?? (await emailFromTokenInfo(client, tokens.access_token));
  return email === undefined ? { refreshToken: tokens.refresh_token } : { refreshToken: tokens.refresh_token, email };
}

/**
 * Obtains an access token, to check that Google accepts the credentials, and says which account
 * they are (the service account's address; a person's email when Google tells it).
 */
export async function checkAuth(client: OAuth2Client): Promise<Result<{ email?: string }>> {
  const serviceAccount = client instanceof JWT;
  let token: string | null | undefined;
  try {
    ({ token } = await client.getAccessToken());
  } catch (error) {
    return fail(describeAuthFailure(serviceAccount, client, error));
  }
  if (typeof token !== 'string' || token === '') return fail('Google answered without an access token');
  const email = serviceAccount
    ? client.email
    : (emailFromIdToken(client.credentials.id_token) ?? (await emailFromTokenInfo(client, token)));
  return ok(email === undefined ? {} : { email });
}

/** The sentence for a refused or failed token request, saying which credentials were refused. */
function describeAuthFailure(serviceAccount: boolean, client: OAuth2Client, error: unknown): string {
  const code = errorCode(error);
  if (httpStatus(error) === undefined && code !== undefined) {
    const url = requestUrl(error) ?? new URL(client.endpoints.oauth2TokenUrl);
    return `could not reach Google's token endpoint (${url.host}): ${code}`;
  }
  const what = serviceAccount ? 'the service account key' : "the Google account's sign-in";
  const hint = serviceAccount
    ? 'check that the key was not deleted or disabled (IAM → Service accounts → Keys)'
    : 'sign in with Google again';
  return `Google refused ${what}: ${describeTokenError(error)}; ${hint}`;
}

/** `invalid_grant: Token has been expired or revoked.` from Google's OAuth error body, or the message. */
function describeTokenError(error: unknown): string {
  const body = oauthError(error);
  if (body !== undefined) return body.description === undefined ? body.error : `${body.error}: ${body.description}`;
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  return status === undefined ? message : `HTTP ${status} ${message}`;
}

/**
 * The email claim of an id_token, read without checking its signature: this token came straight
 * from the token endpoint over TLS in answer to our own request, which OpenID Connect accepts in
 * place of the signature check (Core 1.0 §3.1.3.7). An id_token from anywhere else must be verified.
 */
export function emailFromIdToken(idToken: string | null | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown; email_verified?: unknown };
    return typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined;
  } catch {
    return undefined;
  }
}

async function emailFromTokenInfo(client: OAuth2Client, accessToken: string | null | undefined): Promise<string | undefined> {
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  try {
    const info = await client.getTokenInfo(accessToken);
    return typeof info.email === 'string' && info.email !== '' ? info.email : undefined;
  } catch {
    // Token info is a convenience (the emulator may not serve it); the account works without it.
    return undefined;
  }
}
