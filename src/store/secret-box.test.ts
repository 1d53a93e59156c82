import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from './secret-box.js';

const box = new SecretBox(crypto.randomBytes(32));
const secret = 'sk_live_51abcdefghijklmnopqrstuvwxyz';

test('seals and opens; the sealed form does not contain the secret and differs each time', () => {
  const a = box.seal(secret, 'acc_1');
  const b = box.seal(secret, 'acc_1');
  assert.notEqual(a, b);
  assert.ok(!a.includes(secret) && !a.includes(Buffer.from(secret).toString('base64url')));
  assert.equal(box.open(a, 'acc_1'), secret);
});

test('refuses another record’s ciphertext, a tampered one, and another key', () => {
  const sealed = box.seal(secret, 'acc_1');
  assert.throws(() => box.open(sealed, 'acc_2'), /cannot be decrypted/);
  const [v, iv, tag, body] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  assert.throws(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'acc_1'), /cannot be decrypted/);
  assert.throws(() => new SecretBox(crypto.randomBytes(32)).open(sealed, 'acc_1'), /SLUICE_ENCRYPTION_KEY is not the key/);
  assert.throws(() => box.open('garbage', 'acc_1'), /not in a format/);
});
