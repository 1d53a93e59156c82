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

test('after a 429 the pace comes back a twentieth of the limit per second, however many requests are made', async () => {
  const pacer = new Pacer(20);
  const t0 = Date.now();
  pacer.slowDown(t0);
  assert.deepEqual(pacer.state(t0), { limit: 20, rate: 10, throttled: 1, fullSpeedAt: t0 + 10_000 });
  for (let i = 0; i < 5; i++) await pacer.take();
  assert.equal(pacer.state(t0 + 999).rate, 10);
  assert.equal(pacer.state(t0 + 1000).rate, 11);
  assert.equal(pacer.state(t0 + 4500).rate, 14);
  assert.deepEqual(pacer.state(t0 + 10_000), { limit: 20, rate: 20, throttled: 1 });
});

test('every 429 is counted, and a second one halves again from the pace recovered so far', () => {
  const pacer = new Pacer(25);
  const t0 = Date.now();
  pacer.slowDown(t0);
  pacer.slowDown(t0 + 100);
  assert.equal(pacer.state(t0 + 100).throttled, 2);
  assert.equal(pacer.state(t0 + 100).rate, 12.5);
  pacer.slowDown(t0 + 2000); // recovered to 15 by then
  const s = pacer.state(t0 + 2000);
  assert.equal(s.rate, 7.5);
  assert.equal(s.throttled, 3);
  // 17.5 to give back at 1.25 a second: 14 seconds.
  assert.equal(s.fullSpeedAt, t0 + 2000 + 14_000);
});
