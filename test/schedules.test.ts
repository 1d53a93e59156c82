import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fireDue } from '../src/engine/scheduler.js';
import { csv, startHarness, type Harness } from './support/harness.js';

let h: Harness;
let accountId: string;
before(async () => {
  h = await startHarness();
  accountId = await h.account();
});
after(() => h.close());

let n = 0;
async function connection(extra: Record<string, unknown> = {}, rows = 1) {
  n++;
  const content = csv(Array.from({ length: rows }, (_, i) => ({ Email: `s${n}-${i}@schedule.example` })));
  return h.connection({
    name: `Scheduled ${n}`,
    source: { type: 'csv', content },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
    ...extra,
  });
}

type View = { enabled: boolean; schedule: Record<string, unknown>; nextRunAt: string | null; lastRun: { status: string } | null };
const view = async (id: string) => (await h.api<View>('GET', `/api/connections/${id}`)).body;
const runsOf = async (id: string) =>
  (await h.api<{ data: { trigger: string; status: string; finishedAt: string | null }[] }>('GET', `/api/connections/${id}/runs`)).body.data;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a times schedule is stored with its next run; the next runs are listed in UTC and local time', async () => {
  const c = await connection({ enabled: true, schedule: { kind: 'times', times: ['09:00'], timezone: 'Europe/Kyiv' } });
  const v = await view(c.id);
  assert.deepEqual(v.schedule, {
    kind: 'times',
    times: ['09:00'],
    timezone: 'Europe/Kyiv',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  });
  assert.ok(v.nextRunAt && new Date(v.nextRunAt).getTime() >= Date.now() + 5 * 60_000, v.nextRunAt ?? 'null');
  const next = await h.api<{ next: { utc: string; local: string }[] }>(
    'GET',
    `/api/connections/${c.id}/schedule/next?count=3&from=2026-03-28T00:00:00Z`,
  );
  assert.deepEqual(next.body.next, [
    { utc: '2026-03-28T07:00:00.000Z', local: '2026-03-28T09:00:00.000+02:00' },
    { utc: '2026-03-29T06:00:00.000Z', local: '2026-03-29T09:00:00.000+03:00' },
    { utc: '2026-03-30T06:00:00.000Z', local: '2026-03-30T09:00:00.000+03:00' },
  ]);
  const bad = await h.api<{ error: { message: string } }>('GET', `/api/connections/${c.id}/schedule/next?count=501`);
  assert.equal(bad.status, 400);
});

test('a bad schedule is refused at save with the field named', async () => {
  const res = await h.api<{ error: { message: string } }>('POST', '/api/connections', {
    name: 'Bad schedule',
    source: { type: 'csv', content: 'Email\na@b.co\n' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
    schedule: { kind: 'times', times: ['25:00'], timezone: 'Kyiv' },
  });
  assert.equal(res.status, 400);
  assert.match(res.body.error.message, /schedule\.times\[0\]: "25:00" is not a time/);
  assert.match(res.body.error.message, /schedule\.timezone: "Kyiv" is not an IANA time zone/);
});

test('the enable toggle sets and clears the next run; a disabled connection is not fired', async () => {
  const c = await connection({ schedule: { kind: 'interval', minutes: 15 } });
  assert.equal((await view(c.id)).nextRunAt, null);
  const on = await h.api<View>('PATCH', `/api/connections/${c.id}`, { enabled: true });
  assert.ok(on.body.nextRunAt);
  const expected = Date.now() + 15 * 60_000;
  assert.ok(Math.abs(new Date(on.body.nextRunAt).getTime() - expected) < 60_000);
  const off = await h.api<View>('PATCH', `/api/connections/${c.id}`, { enabled: false });
  assert.equal(off.body.nextRunAt, null);
  assert.equal(await fireDue(h.sluice.engine.db, new Date(Date.now() + 3_600_000), () => {}), 0);
});

test('a due slot fires once; missed slots give one catch-up run; intervals count absolute time', async () => {
  const c = await connection({ enabled: true, schedule: { kind: 'interval', minutes: 10 } });
  const due = new Date((await view(c.id)).nextRunAt ?? '');
  // Sluice was "down" for an hour past the slot: one run, and the next slot is the first after now.
  const later = new Date(due.getTime() + 60 * 60_000 + 30_000);
  const fired = await fireDue(h.sluice.engine.db, later, () => h.sluice.engine.wake());
  assert.ok(fired >= 1);
  const again = await fireDue(h.sluice.engine.db, later, () => {});
  assert.equal(again, 0, 'the same slot does not fire twice');
  const v = await view(c.id);
  assert.equal(v.nextRunAt, new Date(due.getTime() + 70 * 60_000).toISOString());
  const run = await until('the scheduled run', async () => (await runsOf(c.id)).find((r) => r.trigger === 'schedule' && r.finishedAt));
  assert.equal(run.status, 'succeeded');
  assert.equal((await runsOf(c.id)).filter((r) => r.trigger === 'schedule').length, 1);
});

test('two schedulers sharing one database fire each slot once', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await connection({ enabled: true, schedule: { kind: 'interval', minutes: 1 } })).id);
  // Two schedulers at once on the server's handle, then a third on a connection of its own.
  const other = await h.openStore();
  try {
    const at = new Date(Date.now() + 90_000);
    const [a, b] = await Promise.all([fireDue(h.sluice.engine.db, at, () => {}), fireDue(h.sluice.engine.db, at, () => {})]);
    assert.equal(await fireDue(other, at, () => {}), 0);
    const scheduled = await h.sluice.engine.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', 'in', ids)
      .where('trigger', '=', 'schedule')
      .executeTakeFirstOrThrow();
    assert.equal(Number(scheduled.n), 20, `fired ${a} + ${b}`);
    assert.ok(a + b >= 20);
  } finally {
    await other.destroy();
  }
});

test('a due run starts within about a second of its time', async () => {
  const c = await connection({ enabled: true, schedule: { kind: 'interval', minutes: 60 } });
  const at = new Date(Date.now() + 1000);
  await h.sluice.engine.db.updateTable('connections').set({ next_run_at: at.toISOString() }).where('id', '=', c.id).execute();
  const run = await until('the run', async () => (await runsOf(c.id)).find((r) => r.trigger === 'schedule'), 10_000);
  assert.ok(run);
});

test('chains run in order, stop at a disabled connection, and only follow failures when asked', async () => {
  const a = await connection();
  const b = await connection({ enabled: true, schedule: { kind: 'after', connectionId: a.id } });
  const c = await connection({ enabled: true, schedule: { kind: 'after', connectionId: b.id, on: 'any' } });
  await h.run(a.id);
  const bRun = await until('B after A', async () => (await runsOf(b.id)).find((r) => r.trigger === 'chain' && r.finishedAt));
  const cRun = await until('C after B', async () => (await runsOf(c.id)).find((r) => r.trigger === 'chain' && r.finishedAt));
  assert.equal(bRun.status, 'succeeded');
  assert.equal(cRun.status, 'succeeded');

  // A cycle is refused, naming it.
  const cycle = await h.api<{ error: { message: string } }>('PATCH', `/api/connections/${a.id}`, {
    schedule: { kind: 'after', connectionId: c.id },
  });
  assert.equal(cycle.status, 400);
  assert.match(cycle.body.error.message, /would make a cycle: "Scheduled \d+" → "Scheduled \d+" → "Scheduled \d+" → "Scheduled \d+"/);

  // B disabled: its chain stops there.
  await h.api('PATCH', `/api/connections/${b.id}`, { enabled: false });
  const before = (await runsOf(c.id)).length;
  await h.run(a.id);
  await sleep(800);
  assert.equal((await runsOf(b.id)).filter((r) => r.trigger === 'chain').length, 1);
  assert.equal((await runsOf(c.id)).length, before);
});

test('a failing run starts a follower only when it asked for any run', async () => {
  const bad = await h.connection({
    name: 'Fails',
    source: { type: 'csv', content: csv([{ Email: 'not-an-email' }]) },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
  });
  const onSuccess = await connection({ enabled: true, schedule: { kind: 'after', connectionId: bad.id, on: 'success' } });
  const onAny = await connection({ enabled: true, schedule: { kind: 'after', connectionId: bad.id, on: 'any' } });
  const run = await h.run(bad.id);
  assert.equal(run.status, 'failed');
  await until('the "any" follower', async () => (await runsOf(onAny.id)).find((r) => r.finishedAt));
  assert.equal((await runsOf(onSuccess.id)).length, 0);
});
