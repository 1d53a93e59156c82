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
