import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginLimiter } from './login-limiter.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

test('an email is refused after 10 failures within 15 minutes, until the window ends', () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 9; i++) limiter.failed('owner@example.com', t0 + i * 1000);
  assert.equal(limiter.retryAfter('owner@example.com', t0 + 9000), 0);
  limiter.failed('owner@example.com', t0 + 9000);
  assert.equal(limiter.retryAfter('owner@example.com', t0 + 10_000), 15 * 60 - 10);
  assert.equal(limiter.retryAfter('other@example.com', t0 + 10_000), 0, 'other emails are not affected');
  assert.equal(limiter.retryAfter('owner@example.com', t0 + 15 * 60_000 - 1), 1);
  assert.equal(limiter.retryAfter('owner@example.com', t0 + 15 * 60_000), 0);
});

test('failures spread over more than the window never add up to a refusal', () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 30; i++) {
    limiter.failed('owner@example.com', t0 + i * 2 * 60_000);
    assert.equal(limiter.retryAfter('owner@example.com', t0 + i * 2 * 60_000), 0, `after failure ${i + 1}`);
  }
});

test('a success clears the count', () => {
  const limiter = new LoginLimiter(3);
  limiter.failed('a@example.com', t0);
  limiter.failed('a@example.com', t0);
  limiter.succeeded('a@example.com');
  limiter.failed('a@example.com', t0);
  limiter.failed('a@example.com', t0);
  assert.equal(limiter.retryAfter('a@example.com', t0), 0);
  limiter.failed('a@example.com', t0);
  assert.ok(limiter.retryAfter('a@example.com', t0) > 0);
});

test('memory stays bounded: beyond capacity the oldest emails are forgotten', () => {
  const limiter = new LoginLimiter(1, 60_000, 100);
  for (let i = 0; i < 1000; i++) limiter.failed(`u${i}@example.com`, t0);
  assert.equal(limiter.retryAfter('u0@example.com', t0), 0);
  assert.ok(limiter.retryAfter('u999@example.com', t0) > 0);
});
