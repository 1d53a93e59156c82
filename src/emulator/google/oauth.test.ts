import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it, mock } from 'node:test';
import { JWT, OAuth2Client } from 'google-auth-library';
import {
  apiFailure,
  emulatorTransporter,
  jwtClient,
  serviceAccountKey,
  sheetsFor,
  signAssertion,
  SHEETS_SCOPE,
  startHarness,
  validClaims,
  type Harness,
} from './test-support.js';

const BOT = 'sluice@proj.iam.gserviceaccount.com';
const CLIENT_ID = '1234-abc.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-emulated';
const REDIRECT = 'http://127.0.0.1:8080/oauth/callback';
const TIMEFRAME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

describe('OAuth', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.registerOAuthClient(CLIENT_ID, CLIENT_SECRET);
    h.emulator.setOAuthUser('ana@example.com');
  });

  const form = (params: Record<string, string>) =>
    h.raw('POST', '/token', {
      body: new URLSearchParams(params).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

  describe('service account JWT grant', () => {
    it('gives google-auth-library’s JWT client a token, through a transporter that rewrites the token URL', async () => {
      const client = jwtClient(h.emulator, BOT);
      const { token } = await client.getAccessToken();
      assert.match(token ?? '', /^ya29\./);
      const expiry = client.credentials.expiry_date ?? 0;
      assert.ok(expiry > Date.now() + 3500_000 && expiry <= Date.now() + 3600_000, 'expires in 3599 s');
      assert.deepEqual(h.emulator.requests(), [{ method: 'POST', path: '/token', status: 200, caller: BOT }]);
      const api = sheetsFor(h.emulator, client);
      const created = await api.spreadsheets.create({ requestBody: {} });
      assert.equal(created.status, 200);
      assert.equal(h.emulator.requests().length, 2, 'the cached token is reused');
    });

    it('answers Google’s token response shape', async () => {
      const response = await form({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signAssertion(validClaims(BOT)),
      });
      assert.equal(response.status, 200);
      assert.deepEqual(Object.keys(response.json as object), ['access_token', 'expires_in', 'token_type']);
      assert.deepEqual({ ...(response.json as object), access_token: 'x' }, { access_token: 'x', expires_in: 3599, token_type: 'Bearer' });
      assert.equal(response.headers.get('cache-control'), 'no-cache, no-store, max-age=0, must-revalidate');
    });

    it('refuses an expired assertion, through the library too', async () => {
      const iat = Math.floor(Date.now() / 1000) - 7200;
      const expired = await form({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signAssertion(validClaims(BOT, { iat, exp: iat + 3600 })),
      });
      assert.equal(expired.status, 400);
      assert.deepEqual(expired.json, { error: 'invalid_grant', error_description: TIMEFRAME });

      // gtoken lets additionalClaims override exp: the library's own error carries Google's message.
      const client = new JWT({
        email: BOT,
        key: serviceAccountKey(),
        scopes: [SHEETS_SCOPE],
        additionalClaims: { exp: iat },
        transporter: emulatorTransporter(h.emulator.url),
      });
      await assert.rejects(client.getAccessToken(), (error: Error) => error.message === `invalid_grant: ${TIMEFRAME}`);
    });

    it('refuses malformed assertions and missing parameters', async () => {
      const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      const garbage = await form({ grant_type: grant, assertion: 'a.b.c' });
      assert.equal(garbage.status, 400);
      assert.equal((garbage.json as { error?: unknown }).error, 'invalid_grant');
      const hmac = await form({ grant_type: grant, assertion: signAssertion(validClaims(BOT), { alg: 'HS256' }) });
      assert.deepEqual(hmac.json, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      const missing = await form({ grant_type: grant });
      assert.deepEqual(missing.json, { error: 'invalid_request', error_description: 'Missing required parameter: assertion' });
      const unknown = await form({ grant_type: 'password' });
      assert.deepEqual(unknown.json, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: password' });
    });
  });

  describe('authorization code flow', () => {
    function oauthClient(secret = CLIENT_SECRET): OAuth2Client {
      return new OAuth2Client({
        clientId: CLIENT_ID,
        clientSecret: secret,
        redirectUri: REDIRECT,
        endpoints: {
          oauth2AuthBaseUrl: `${h.emulator.url}/o/oauth2/v2/auth`,
          oauth2TokenUrl: `${h.emulator.url}/token`,
          oauth2RevokeUrl: `${h.emulator.url}/revoke`,
        },
      });
    }

    /** Follows the consent URL as a browser would and returns the callback's query. */
    async function consent(url: string): Promise<URLSearchParams> {
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      return location.searchParams;
    }

    it('signs the user in, exchanges the code, refreshes, and the tokens work on the Sheets API', async () => {
      const client = oauthClient();
      const url = client.generateAuthUrl({ access_type: 'offline', scope: [SHEETS_SCOPE], state: 'csrf-123', prompt: 'consent' });
      assert.ok(url.startsWith(`${h.emulator.url}/o/oauth2/v2/auth?`));
      const callback = await consent(url);
      assert.equal(callback.get('state'), 'csrf-123');
      assert.equal(callback.get('scope'), SHEETS_SCOPE);
      const code = callback.get('code') ?? '';
      assert.match(code, /^4\/0/);

      const { tokens } = await client.getToken(code);
      assert.match(tokens.access_token ?? '', /^ya29\./);
      assert.match(tokens.refresh_token ?? '', /^1\/\/0/);
      assert.equal(tokens.scope, SHEETS_SCOPE);
      assert.equal(tokens.token_type, 'Bearer');

      client.setCredentials(tokens);
      const created = await sheetsFor(h.emulator, client).spreadsheets.create({ requestBody: {} });
      const id = created.data.spreadsheetId ?? '';
      assert.equal(h.emulator.requests().at(-1)?.caller, 'ana@example.com');

      const later = oauthClient();
      later.setCredentials({ refresh_token: tokens.refresh_token ?? '' });
      const refreshed = await later.getAccessToken();
      assert.ok(refreshed.token !== undefined && refreshed.token !== tokens.access_token);
      const read = await sheetsFor(h.emulator, later).spreadsheets.get({ spreadsheetId: id });
      assert.equal(read.status, 200, 'the refreshed token acts as the same user');

      const reused = await apiFailure(() => client.getToken(code));
      assert.deepEqual(reused.data, { error: 'invalid_grant', error_description: 'Bad Request' }, 'a code is single-use');
    });

    it('issues no refresh token without access_type=offline, and checks client and redirect_uri', async () => {
      const client = oauthClient();
      const online = await consent(client.generateAuthUrl({ scope: SHEETS_SCOPE }));
      const { tokens } = await client.getToken(online.get('code') ?? '');
      assert.equal(tokens.refresh_token, undefined);

      const code = (await consent(client.generateAuthUrl({ scope: SHEETS_SCOPE }))).get('code') ?? '';
      const wrongSecret = await apiFailure(() => oauthClient('nope').getToken(code));
      assert.equal(wrongSecret.status, 401);
      assert.deepEqual(wrongSecret.data, { error: 'invalid_client', error_description: 'Unauthorized' });
      const mismatch = await apiFailure(() => client.getToken({ code, redirect_uri: 'http://127.0.0.1:9999/elsewhere' }));
      assert.deepEqual(mismatch.data, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      assert.ok((await client.getToken(code)).tokens.access_token, 'failed attempts do not use the code up');

      const stranger = await form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'unknown', client_secret: 's' });
      assert.equal(stranger.status, 401);
      assert.deepEqual(stranger.json, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
      const badRefresh = await form({
        grant_type: 'refresh_token',
        refresh_token: '1//0nope',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      assert.deepEqual(badRefresh.json, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    });

    it('supports PKCE', async () => {
      const client = oauthClient();
      const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
      const url = client.generateAuthUrl({
        scope: SHEETS_SCOPE,
        code_challenge: codeChallenge ?? '',
        code_challenge_method: 'S256' as never,
      });
      const code = (await consent(url)).get('code') ?? '';
      const wrong = await apiFailure(() => client.getToken({ code, codeVerifier: 'x'.repeat(64) }));
      assert.deepEqual(wrong.data, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      assert.ok((await client.getToken({ code, codeVerifier })).tokens.access_token);
    });

    it('expires codes after 10 minutes', async () => {
      const client = oauthClient();
      const code = (await consent(client.generateAuthUrl({ scope: SHEETS_SCOPE }))).get('code') ?? '';
      const later = Date.now() + 10 * 60 * 1000 + 1;
      const clock = mock.method(Date, 'now', () => later);
      try {
        const expired = await apiFailure(() => client.getToken(code));
        assert.deepEqual(expired.data, { error: 'invalid_grant', error_description: 'Bad Request' });
      } finally {
        clock.mock.restore();
      }
    });

    it('shows an error page for an unknown client or a bad request, and revokes tokens', async () => {
      const unknown = await h.raw(
        'GET',
        `/o/oauth2/v2/auth?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=x`,
      );
      assert.equal(unknown.status, 400);
      assert.match(unknown.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(unknown.text, /invalid_client\. The OAuth client was not found\./);
      const noScope = await h.raw(
        'GET',
        `/o/oauth2/v2/auth?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code`,
      );
      assert.match(noScope.text, /Missing required parameter: scope/);

      const client = oauthClient();
      const { tokens } = await client.getToken((await consent(client.generateAuthUrl({ scope: SHEETS_SCOPE }))).get('code') ?? '');
      await client.revokeToken(tokens.access_token ?? '');
      const after = await h.raw('POST', '/v4/spreadsheets', { token: tokens.access_token ?? '', body: '{}' });
      assert.equal(after.status, 401);
    });
  });
});
