import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idempotencyKey, rowMarker } from './row-keys.js';

test('idempotency keys are deterministic, short, and their format is pinned (keys already sent must keep matching)', () => {
  const key = idempotencyKey('con_01jd', 'Order A-17', 0, 'create');
  assert.equal(key, idempotencyKey('con_01jd', 'Order A-17', 0, 'create'));
  assert.match(key, /^sluice_con_01jd_[A-Za-z0-9_-]{22}_v0_create$/);
  assert.equal(key, 'sluice_con_01jd_ZmYTcDLdLvPkppNJ2l8dCf_v0_create');
  assert.notEqual(key, idempotencyKey('con_01jd', 'Order A-17', 1, 'create'));
  assert.notEqual(key, idempotencyKey('con_01jd', 'Order A-18', 0, 'create'));
  assert.notEqual(key, idempotencyKey('con_01je', 'Order A-17', 0, 'create'));
  assert.ok(idempotencyKey(`con_${'x'.repeat(26)}`, 'k'.repeat(10_000), 12, 'finalize').length <= 255);
  assert.equal(rowMarker('con_01jd', 'Order A-17'), 'con_01jd/ZmYTcDLdLvPkppNJ2l8dCf');
});
