import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ensurePace, slowPace, takePaceSlot } from '../src/store/pace.js';
import { openTestStore, type TestStore } from './support/stores.js';

/**
 * The pace of a Stripe account shared by several processes on one Postgres (engine/shared-pacer.ts):
 * however many processes take request slots at once, the slots are spaced by the account's rate,
 * and a 429 seen by one process slows them all.
 */

let store: TestStore;
before(async () => {
  store = await openTestStore('postgres');
});
after(() => store.close());

test('two processes taking slots at once get one budget: slots a rate apart, never the same one twice', async () => {
  const second = await store.another();
  await ensurePace(store.db, 'acc_shared', 10);
  const now = 1_000_000;
  // 20 requests from each of two "processes" (two connection pools), all at the same instant.
  const slots = await Promise.all(
    Array.from({ length: 40 }, (_, i) => takePaceSlot(i % 2 ? second : store.db, 'acc_shared', 10, now).then((s) => s.at)),
  );
  const sorted = [...slots].sort((a, b) => a - b);
  assert.equal(sorted[0], now);
  for (let i = 1; i < sorted.length; i++) assert.ok(Math.abs(sorted[i]! - sorted[i - 1]! - 100) < 1e-6, `slot ${i}: ${sorted.join(', ')}`);
  assert.equal(new Set(slots).size, 40);
});

test('a 429 halves the shared rate once per half second, and the rate comes back a twentieth of the limit a second', async () => {
  await ensurePace(store.db, 'acc_slow', 20);
  const t = 5_000_000;
  const first = await slowPace(store.db, 'acc_slow', 20, t);
  assert.deepEqual(first, { base: 10, last_slowdown: t, throttled: 1 });
  // Another process's 429 in the same half second is counted, not halved again.
  const again = await slowPace(store.db, 'acc_slow', 20, t + 100);
  assert.deepEqual(again, { base: 10, last_slowdown: t, throttled: 2 });
  // Slots after the 429 are 1/10 s apart; 2 s later the rate is 12/s (10 + 2 × 20/20).
  const a = await takePaceSlot(store.db, 'acc_slow', 20, t + 2000);
  const b = await takePaceSlot(store.db, 'acc_slow', 20, t + 2000);
  assert.ok(Math.abs(b.at - a.at - 1000 / 12) < 1e-6, `${a.at} → ${b.at}`);
});
