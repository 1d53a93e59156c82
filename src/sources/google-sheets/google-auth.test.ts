import assert from 'node:assert/strict';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  authorizationUrl,
  checkAuth,
  emailFromIdToken,
  exchangeCode,
  oauthClient,
  parseServiceAccountKey,
  serviceAccountClient,
  type ServiceAccountKey,
} from './google-auth.js';
import { GOOGLE_TOKEN_URL, SHEETS_SCOPE, type GoogleEndpoints } from './endpoints.js';
import { GoogleSheetsError } from './google-sheets-error.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const EMAIL = 'sluice-reader@sluice-test.iam.gserviceaccount.com';
const keyFile = {
  type: 'service_account',
  project_id: 'sluice-test',
  private_key_id: 'k1',
  private_key: privateKey,
  client_email: EMAIL,
  client_id: '1234567890',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: 'https://oauth2.googleapis.com/token',
  universe_domain: 'googleapis.com',
};
/** Any 24 characters from the middle of the key: what a message must never contain. */
const KEY_PIECE = privateKey.split('\n')[3]?.slice(10, 34) ?? 'missing';

describe('parseServiceAccountKey', () => {
  it("reads Google's key file, as JSON or as its text", () => {
    const expected: ServiceAccountKey = {
      type: 'service_account',
      client_email: EMAIL,
      private_key: privateKey,
      private_key_id: 'k1',
      project_id: 'sluice-test',
      client_id: '1234567890',
      token_uri: 'https://oauth2.googleapis.com/token',
    };
    assert.deepEqual(parseServiceAccountKey(keyFile), { ok: true, value: expected });
    assert.deepEqual(parseServiceAccountKey(JSON.stringify(keyFile)), { ok: true, value: expected });
  });

  it('repairs a key whose line breaks arrived as \\n', () => {
    const result = parseServiceAccountKey({ ...keyFile, private_key: privateKey.replaceAll('\n', '\\n') });
    assert.equal(result.ok && result.value.private_key, privateKey);
  });

  const how = 'in the Google Cloud console open IAM → Service accounts → the account → Keys → Add key → JSON, and give that file';
  const bad: Array<[string, unknown, string]> = [
    ['text that is not JSON', `{"private_key": "${privateKey.slice(0, 60)}`, `the service account key is not JSON; ${how}`],
    ['an array', [keyFile], `the service account key must be the JSON object of a key file; ${how}`],
    ['an OAuth client file', { installed: { client_id: 'x' } }, `this is an OAuth client file, not a service account key; ${how}`],
    [
      'another type',
      { ...keyFile, type: 'authorized_user' },
      `type is "authorized_user"; a service account key has "type": "service_account" (${how})`,
    ],
    ['no type', { ...keyFile, type: undefined }, `type is missing; a service account key has "type": "service_account" (${how})`],
    [
      'no client_email',
      { ...keyFile, client_email: '' },
      'client_email is missing; a service account key names its address in client_email',
    ],
    ['a bad client_email', { ...keyFile, client_email: 'sluice-reader' }, 'client_email "sluice-reader" is not an email address'],
    ['no private_key', { ...keyFile, private_key: undefined }, 'private_key is missing; the key file holds it as a PEM text'],
    [
      'a damaged private_key',
      { ...keyFile, private_key: privateKey.replace(KEY_PIECE, 'x') },
      'private_key is not a PEM private key; it starts with -----BEGIN PRIVATE KEY----- (copy the whole key file again)',
    ],
    [
      'a public key',
      { ...keyFile, private_key: publicKey },
      'private_key is not a PEM private key; it starts with -----BEGIN PRIVATE KEY----- (copy the whole key file again)',
    ],
    ['a number for project_id', { ...keyFile, project_id: 7 }, 'project_id must be text'],
  ];
  for (const [name, input, error] of bad) {
    it(`refuses ${name}, without showing the key`, () => {
      const result = parseServiceAccountKey(input);
      assert.deepEqual(result, { ok: false, error });
      assert.ok(!error.includes(KEY_PIECE) && !error.includes('BEGIN PRIVATE KEY-----\n'));
    });
  }
});

/** A stand-in for Google's token endpoint (and token info) on loopback, answering what a test sets. */
class TokenStub {
  server: Server = createServer((req, res) => void this.handle(req, res));
  requests: Array<{ path: string; form: URLSearchParams }> = [];
  answer: (path: string, form: URLSearchParams) => { status: number; body: unknown } = () => ({ status: 500, body: {} });
  url = '';

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', this.url);
    const form = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    this.requests.push({ path: url.pathname, form });
    const { status, body: answer } = this.answer(url.pathname, form);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}

function jwtParts(jwt: string): { header: unknown; claims: Record<string, unknown>; valid: boolean } {
  const [h = '', c = '', s = ''] = jwt.split('.');
  const verify = createVerify('RSA-SHA256').update(`${h}.${c}`);
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>,
    valid: verify.verify(publicKey, Buffer.from(s, 'base64url')),
  };
}

const idToken = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('Google auth against a token endpoint on loopback', () => {
  const stub = new TokenStub();
  let endpoints: GoogleEndpoints;
  before(async () => {
    await stub.start();
    endpoints = {
      sheetsApiBase: new URL(stub.url),
      tokenUrl: new URL(`${stub.url}/oauth2/token`),
      authUrl: new URL(`${stub.url}/o/oauth2/v2/auth`),
    };
  });
  after(() => stub.server.close());
  beforeEach(() => {
    stub.requests = [];
  });

  it('signs in as the service account at the configured token URL, with a JWT signed by its key', async () => {
    stub.answer = () => ({ status: 200, body: { access_token: 'ya29.sa', expires_in: 3599, token_type: 'Bearer' } });
    const key = parseServiceAccountKey(keyFile);
    assert.ok(key.ok);
    const client = serviceAccountClient(key.value, endpoints);
    assert.deepEqual(await checkAuth(client), { ok: true, value: { email: EMAIL } });

    assert.equal(stub.requests.length, 1);
    const { path, form } = stub.requests[0] ?? { path: '', form: new URLSearchParams() };
    assert.equal(path, '/oauth2/token');
    assert.equal(form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    const jwt = jwtParts(form.get('assertion') ?? '');
    assert.equal(jwt.valid, true);
    assert.deepEqual(jwt.header, { alg: 'RS256' });
    assert.equal(jwt.claims.iss, EMAIL);
    assert.equal(jwt.claims.scope, SHEETS_SCOPE);
    // The audience stays Google's: the assertion is the same whichever endpoint receives it.
    assert.equal(jwt.claims.aud, GOOGLE_TOKEN_URL);
  });

  it('says when Google refuses the service account key', async () => {
    stub.answer = () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
    const key = parseServiceAccountKey(keyFile);
    assert.ok(key.ok);
    assert.deepEqual(await checkAuth(serviceAccountClient(key.value, endpoints)), {
      ok: false,
      error:
        'Google refused the service account key: invalid_grant: Invalid JWT Signature.; check that the key was not deleted or disabled (IAM → Service accounts → Keys)',
    });
  });

  it('builds the consent URL on the configured auth URL, asking for a refresh token and the email', () => {
    const client = oauthClient({
      clientId: 'cid.apps.googleusercontent.com',
      clientSecret: 'secret',
      redirectUri: 'http://localhost:3000/cb',
      endpoints,
    });
    const url = new URL(authorizationUrl(client, 'st4te'));
    assert.equal(`${url.origin}${url.pathname}`, endpoints.authUrl.href);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      access_type: 'offline',
      prompt: 'consent',
      scope: `${SHEETS_SCOPE} openid email`,
      state: 'st4te',
      response_type: 'code',
      client_id: 'cid.apps.googleusercontent.com',
      redirect_uri: 'http://localhost:3000/cb',
    });
  });

  const client = () => oauthClient({ clientId: 'cid', clientSecret: 'secret', redirectUri: 'http://localhost:3000/cb', endpoints });

  it('exchanges a code for a refresh token and the email in the id_token', async () => {
    stub.answer = () => ({
      status: 200,
      body: {
        access_token: 'ya29.a',
        refresh_token: '1//refresh',
        expires_in: 3599,
        id_token: idToken({ email: 'ann@example.com', email_verified: true }),
      },
    });
    assert.deepEqual(await exchangeCode(client(), 'c0de'), { refreshToken: '1//refresh', email: 'ann@example.com' });
    const form = stub.requests[0]?.form;
    assert.equal(stub.requests[0]?.path, '/oauth2/token');
    assert.equal(form?.get('grant_type'), 'authorization_code');
    assert.equal(form?.get('code'), 'c0de');
    assert.equal(form?.get('redirect_uri'), 'http://localhost:3000/cb');
  });

  it('asks token info for the email when there is no id_token, and does without it', async () => {
    stub.answer = (path) =>
      path === '/oauth2/tokeninfo'
        ? { status: 200, body: { email: 'bob@example.com', scope: SHEETS_SCOPE, expires_in: 3000 } }
        : { status: 200, body: { access_token: 'ya29.b', refresh_token: '1//r2', expires_in: 3599 } };
    assert.deepEqual(await exchangeCode(client(), 'c0de'), { refreshToken: '1//r2', email: 'bob@example.com' });
    assert.deepEqual(
      stub.requests.map((r) => r.path),
      ['/oauth2/token', '/oauth2/tokeninfo'],
    );

    stub.answer = (path) =>
      path === '/oauth2/tokeninfo' ? { status: 404, body: {} } : { status: 200, body: { access_token: 'ya29.c', refresh_token: '1//r3' } };
    assert.deepEqual(await exchangeCode(client(), 'c0de'), { refreshToken: '1//r3' });
  });

  it('says when Google refuses the code, or gives no refresh token', async () => {
    stub.answer = () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } });
    await assert.rejects(exchangeCode(client(), 'old'), (error) => {
      assert.ok(error instanceof GoogleSheetsError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.message, 'Google refused the authorization code: invalid_grant: Malformed auth code.; start the sign-in again');
      return true;
    });
    stub.answer = () => ({ status: 200, body: { access_token: 'ya29.d', expires_in: 3599 } });
    await assert.rejects(exchangeCode(client(), 'c0de'), { message: /^Google gave no refresh token/ });
  });

  it('checks an OAuth account by refreshing its token', async () => {
    stub.answer = (path) =>
      path === '/oauth2/tokeninfo'
        ? { status: 200, body: { email: 'cy@example.com', scope: SHEETS_SCOPE, expires_in: 3000 } }
        : { status: 200, body: { access_token: 'ya29.e', expires_in: 3599 } };
    const c = oauthClient({
      clientId: 'cid',
      clientSecret: 'secret',
      redirectUri: 'http://localhost:3000/cb',
      endpoints,
      refreshToken: '1//keep',
    });
    assert.deepEqual(await checkAuth(c), { ok: true, value: { email: 'cy@example.com' } });
    assert.equal(stub.requests[0]?.form.get('grant_type'), 'refresh_token');
    assert.equal(stub.requests[0]?.form.get('refresh_token'), '1//keep');

    stub.answer = () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    const revoked = oauthClient({
      clientId: 'cid',
      clientSecret: 'secret',
      redirectUri: 'http://localhost:3000/cb',
      endpoints,
      refreshToken: '1//gone',
    });
    assert.deepEqual(await checkAuth(revoked), {
      ok: false,
      error: "Google refused the Google account's sign-in: invalid_grant: Token has been expired or revoked.; sign in with Google again",
    });
  });
});

describe('emailFromIdToken', () => {
  it('reads a verified email and nothing else', () => {
    assert.equal(emailFromIdToken(idToken({ email: 'a@x.com', email_verified: true })), 'a@x.com');
    assert.equal(emailFromIdToken(idToken({ email: 'a@x.com' })), 'a@x.com');
    assert.equal(emailFromIdToken(idToken({ email: 'a@x.com', email_verified: false })), undefined);
    for (const bad of [undefined, null, '', 'a.b', 'x.%%%.y']) assert.equal(emailFromIdToken(bad), undefined);
  });
});
