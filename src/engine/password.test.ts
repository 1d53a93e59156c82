import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { test } from 'node:test';
import { hashPassword, verifyDummyPassword, verifyPassword } from './password.js';

test('a password is stored as scrypt with its parameters and a random salt, never as itself', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(!stored.includes('correct horse battery'));
  // The salt is random: the same password never gives the same stored form twice.
  assert.notEqual(await hashPassword('correct horse battery'), stored);
});

test('only the right password verifies', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.equal(await verifyPassword('correct horse battery', stored), true);
  assert.equal(await verifyPassword('correct horse batterY', stored), false);
  assert.equal(await verifyPassword('', stored), false);
  assert.equal(await verifyDummyPassword('correct horse battery'), false);
});

test('a hash made with other parameters still verifies (they are read from the stored form)', async () => {
  const stored = await hashPassword('correct horse battery');
  const salt = stored.split('$')[4] ?? '';
  const key = scryptSync('correct horse battery', Buffer.from(salt, 'base64url'), 32, { N: 16384 });
  const old = `scrypt$16384$8$1$${salt}$${key.toString('base64url')}`;
  assert.equal(await verifyPassword('correct horse battery', old), true);
  assert.equal(await verifyPassword('wrong horse battery', old), false);
});

test('hashing does not block the event loop', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  await Promise.all([hashPassword('a password here'), hashPassword('another password')]);
  clearInterval(timer);
  assert.ok(ticks > 0, 'no timer fired while hashing');
});

test('a stored hash in an unknown format is an error, not a silent refusal', async () => {
  await assert.rejects(verifyPassword('x', 'plain-text-password'), /not in a format this version of Sluice knows/);
});
