import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPace, type RunPace } from '../src/engine/run-pace.js';
import { getAccount } from '../src/store/accounts.js';
import { claimPendingRows, intakeRows } from '../src/store/rows.js';
import { createRun, getRun } from '../src/store/runs.js';
import { csv, startHarness, type Harness, type RunBody } from './support/harness.js';

// A running run's pace in GET /api/runs/:id: rows done per second, measured from its rows, and its
// account's pacer — the limit, the rate allowed now, the 429s, and when it is back at full speed.

let h: Harness;
before(async () => (h = await startHarness({ emulator: { latencyMs: 30 } })));
after(() => h.close());

type RunWithPace = RunBody & { finishedAt: string | null; pace?: RunPace; averageRowsPerSecond: number | null };

const customerConnection = (name: string, rows: number, accountId: string) =>
  h.connection({
    name,
    source: { type: 'csv', content: csv(Array.from({ length: rows }, (_, i) => ({ Email: `${name.toLowerCase()}${i}@pace.example` }))) },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
  });

test('rows per second count the rows done in the last 10 seconds (or since the run started); the pacer shows only where the run runs', async () => {
  const engine = h.sluice.engine;
  // An account of its own: the 429 it is told of below must not slow the next test's runs.
  const accountId = await h.account();
  const c = await customerConnection('Measured', 1, accountId);
  // A run held as running by hand (no worker takes a running run whose lease is not over), with
  // rows whose outcomes are dated: what the measure counts is then known exactly.
  const runId = await createRun(engine.db, c.id, 'manual', 'running');
  const startedAt = new Date('2030-01-01T00:00:00.000Z');
  await engine.db.updateTable('runs').set({ started_at: startedAt.toISOString() }).where('id', '=', runId).execute();
  await intakeRows(
    engine.db,
    c.id,
    Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, fields: { Email: `k${i}@pace.example` }, line: i + 2 })),
  );
  const claimed = await claimPendingRows(engine.db, c.id, runId, '', 100);
  const at = (s: number) => new Date(startedAt.getTime() + s * 1000).toISOString();
  const done = async (from: number, to: number, status: 'sent' | 'failed', second: number) => {
    const ids = claimed.slice(from, to).map((r) => r.id);
    await engine.db
      .updateTable('run_rows')
      .set({ status, updated_at: at(second) })
      .where('run_id', '=', runId)
      .where('row_id', 'in', ids)
      .execute();
  };
  await done(0, 5, 'sent', 1); // 5 rows in the first second
  await done(5, 11, 'failed', 2.5); // 6 more a second and a half later
  await done(11, 25, 'sent', 55); // 14 near the end of the first minute; 5 rows still pending
  const run = { ...(await getRun(engine.db, runId))!, owner: engine.owner };

  // Three seconds in: 11 rows over 3 seconds.
  const early = await runPace(engine, run, new Date(startedAt.getTime() + 3000));
  assert.equal(early?.rowsPerSecond, 3.7);
  // A minute in: the 14 rows of the last 10 seconds, not the 11 of the first seconds.
  const late = await runPace(engine, run, new Date(startedAt.getTime() + 60_000));
  assert.deepEqual(late, { rowsPerSecond: 1.4, limit: 25, rate: 25, throttled: 0, backingOff: false });

  // A 429: half the rate, back at the limit 10 seconds later (a twentieth of it each second).
  const account = (await getAccount(engine.db, accountId))!;
  const now = new Date(startedAt.getTime() + 60_000);
  engine.pacerFor(account).slowDown(now.getTime());
  assert.deepEqual(await runPace(engine, run, now), {
    rowsPerSecond: 1.4,
    limit: 25,
    rate: 12.5,
    throttled: 1,
    backingOff: true,
    backingOffUntil: new Date(now.getTime() + 10_000).toISOString(),
  });
  assert.equal((await runPace(engine, run, new Date(now.getTime() + 4000)))?.rate, 17.5);

  // Run by another process: its pacer is not this one, so only what the store knows is said.
  assert.deepEqual(await runPace(engine, { ...run, owner: 'elsewhere:1:abcd' }, now), { rowsPerSecond: 1.4, limit: 25 });
  // Queued or finished: no pace.
  assert.equal(await runPace(engine, { ...run, status: 'queued' }, now), undefined);
  assert.equal(await runPace(engine, { ...run, status: 'succeeded', finished_at: at(60) }, now), undefined);
  await engine.db
    .updateTable('runs')
    .set({ status: 'failed', finished_at: at(60) })
    .where('id', '=', runId)
    .execute();
});

test('GET /api/runs/:id shows a running run backing off after Stripe’s 429s, and a finished run its average rows per second', async () => {
  // 5 requests a second at the emulator, where Sluice starts at test mode's 25: 429s come at once.
  h.emulator.configure({ rateLimit: 5 });
  try {
    const c = await customerConnection('Throttled', 30, await h.account());
    const { body: started } = await h.api<{ runId: string }>('POST', `/api/connections/${c.id}/run`);
    const seen: RunPace[] = [];
    let run: RunWithPace;
    const until = Date.now() + 60_000;
    for (;;) {
      run = (await h.api<RunWithPace>('GET', `/api/runs/${started.runId}?limit=1`)).body;
      if (run.status === 'running') {
        assert.ok(run.pace, `a running run has its pace: ${JSON.stringify(run)}`);
        seen.push(run.pace);
        // Seen once is enough: Stripe's limit is lifted so that the run ends sooner.
        if (run.pace.backingOff) h.emulator.configure({ rateLimit: 0 });
      } else {
        assert.equal(run.pace, undefined, `only a running run has a pace (${run.status})`);
      }
      if (run.finishedAt || Date.now() > until) break;
      await sleep(100);
    }
    assert.equal(run.status, 'succeeded', JSON.stringify(run));

    const backingOff = seen.filter((p) => p.backingOff);
    assert.ok(backingOff.length > 0, `the run was seen backing off: ${JSON.stringify(seen.slice(-3))}`);
    for (const p of backingOff) {
      assert.equal(p.limit, 25);
      assert.ok(p.rate !== undefined && p.rate < 25 && p.rate >= 1, `rate ${p.rate}`);
      assert.ok((p.throttled ?? 0) >= 1, `429s counted: ${p.throttled}`);
      const back = Date.parse(p.backingOffUntil ?? '');
      assert.ok(back > Date.now() - 60_000 && back < Date.now() + 60_000, `back at full speed at ${p.backingOffUntil}`);
    }
    assert.ok(
      seen.some((p) => p.rowsPerSecond > 0),
      'rows were seen going out',
    );
    // One request a row: never above the pacer's 25 a second, but for the 13 rows in flight at once.
    for (const p of seen) assert.ok(p.rowsPerSecond <= 25 + 13, `${p.rowsPerSecond} rows/s at a pace of at most 25 a second`);

    const seconds = (Date.parse(run.finishedAt!) - Date.parse((run as unknown as { startedAt: string }).startedAt)) / 1000;
    assert.ok(seconds >= 1, `the run took ${seconds} s`);
    assert.equal(run.averageRowsPerSecond, Math.round((30 / seconds) * 10) / 10);
  } finally {
    h.emulator.configure({ rateLimit: 0 });
  }
});
