import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pacer } from './pacer.js';

test('a 429 halves the pace once, however many requests saw it, and never below one a second', () => {
  const pacer = new Pacer(24);
  assert.equal(pacer.rate, 24);
  pacer.slowDown();
  pacer.slowDown();
  assert.equal(pacer.rate, 12);
  const slow = new Pacer(1);
  slow.slowDown();
  assert.equal(slow.rate, 1);
});

test('requests are spaced at the pace', async () => {
  const pacer = new Pacer(50);
  const started = Date.now();
  for (let i = 0; i < 6; i++) await pacer.take();
  // Five gaps of 20 ms: the sixth request may not start before 100 ms have passed.
  assert.ok(Date.now() - started >= 95, `${Date.now() - started} ms`);
});
