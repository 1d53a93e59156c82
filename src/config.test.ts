import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.js';

test('defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dataDir, path.resolve('./data'));
  assert.equal(c.stripeApiBase.href, 'https://api.stripe.com/');
  assert.equal(c.publicUrl, 'http://127.0.0.1:3000');
  assert.equal(c.encryptionKey, undefined);
});

test('a bad value stops the start with a message naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT: "eighty" is not allowed; use a whole number from 0 to 65535$/],
    [{ PORT: '70000' }, /^PORT: "70000"/],
    [{ STRIPE_API_BASE: 'api.stripe.com' }, /^STRIPE_API_BASE: "api.stripe.com" is not a URL/],
    [{ STRIPE_API_BASE: 'ftp://x' }, /^STRIPE_API_BASE: "ftp:\/\/x" must start with http:\/\/ or https:\/\//],
    [{ SLUICE_ENCRYPTION_KEY: 'short' }, /^SLUICE_ENCRYPTION_KEY: the value is not a 32-byte key/],
    [{ HOST: 'a b' }, /^HOST: "a b" is not a host name or address$/],
    [{ SLUICE_WEBHOOK_MAX_BYTES: '10' }, /^SLUICE_WEBHOOK_MAX_BYTES: "10" is not allowed/],
    [
      { SLUICE_HEADERS_TIMEOUT_MS: '20000', SLUICE_REQUEST_TIMEOUT_MS: '15000' },
      /^SLUICE_HEADERS_TIMEOUT_MS: 20000 is more than SLUICE_REQUEST_TIMEOUT_MS \(15000\); the headers are part of the request, so use at most 15000$/,
    ],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), { message }, JSON.stringify(env));
});

test('an encryption key is read as hex or base64, and the key never appears in an error', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadConfig({ SLUICE_ENCRYPTION_KEY: hex }).encryptionKey?.toString('hex'), hex);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(loadConfig({ SLUICE_ENCRYPTION_KEY: b64 }).encryptionKey, Buffer.alloc(32, 7));
  assert.throws(
    () => loadConfig({ SLUICE_ENCRYPTION_KEY: 'secret-value-xyz' }),
    (e: Error) => !e.message.includes('secret-value-xyz'),
  );
});

test('DATABASE_URL puts the store on Postgres, and then SLUICE_ENCRYPTION_KEY is required', () => {
  const key = 'ab'.repeat(32);
  assert.equal(loadConfig({}).databaseUrl, undefined, 'SQLite by default');
  assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined, 'empty is unset');
  for (const url of ['postgres://sluice:pw@db:5432/sluice', 'postgresql://db/sluice?schema=sluice_1&sslmode=require']) {
    assert.equal(loadConfig({ DATABASE_URL: url, SLUICE_ENCRYPTION_KEY: key }).databaseUrl, url);
  }
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://db/sluice' }), {
    message:
      'SLUICE_ENCRYPTION_KEY is required with DATABASE_URL: every process sharing the Postgres store must use the same key, and a generated key file is per machine; set the same 32-byte key everywhere (for example: openssl rand -hex 32)',
  });
});

test('a bad DATABASE_URL is refused with its password masked', () => {
  const key = 'ab'.repeat(32);
  const cases: [string, string][] = [
    [
      'mysql://root:hunter2@db/sluice',
      'DATABASE_URL: "mysql://root:***@db/sluice" is not allowed; use a postgres:// or postgresql:// URL (for example postgres://sluice:password@db.example.com:5432/sluice), or leave it unset to keep the store in SQLite',
    ],
    [
      'not a url hunter2',
      'DATABASE_URL: "not a url hunter2" is not a URL; use one such as postgres://sluice:password@db.example.com:5432/sluice',
    ],
    [
      'postgres://u:hunter2@db/sluice?schema=a-b',
      'DATABASE_URL: "postgres://u:***@db/sluice?schema=a-b" names the schema "a-b", which is not allowed; use letters, digits and _ (not starting with a digit, at most 63)',
    ],
  ];
  for (const [url, message] of cases) {
    assert.throws(() => loadConfig({ DATABASE_URL: url, SLUICE_ENCRYPTION_KEY: key }), { message }, url);
  }
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'sqlite://x?password=hunter2', SLUICE_ENCRYPTION_KEY: key }),
    (e: Error) => e.message.startsWith('DATABASE_URL: ') && !e.message.includes('hunter2'),
  );
});
