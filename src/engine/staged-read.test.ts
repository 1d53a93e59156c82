import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { StagedRead, sweepStagedReads } from './staged-read.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-staged-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a staged read gives its rows back in order, from a private file that discard removes', async () => {
  const staged = await StagedRead.create(path.join(dir, 'staging'));
  assert.equal(fs.statSync(staged.file).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(staged.file)).mode & 0o777, 0o700);
  const rows = Array.from({ length: 5000 }, (_, i) => ({ key: `k${i}`, fields: { Name: `Ада\n"${i}"` }, line: i + 2 }));
  for (const row of rows) await staged.add(row);
  await staged.add({ key: 'bad', fields: {}, error: 'wrong number of columns' });
  const back = [];
  for await (const row of staged.rows()) back.push(row);
  assert.deepEqual(back, [...rows, { key: 'bad', fields: {}, error: 'wrong number of columns' }]);
  await staged.discard();
  await staged.discard();
  assert.equal(fs.existsSync(staged.file), false);
});

test('the sweep removes the reads of processes that are gone, and keeps those of live ones', async () => {
  const staging = path.join(dir, 'sweep');
  fs.mkdirSync(staging);
  // A pid far above any pid_max is never a live process.
  const dead = path.join(staging, 'read-2147483646-01abc.ndjson');
  const live = path.join(staging, `read-${process.ppid}-01abc.ndjson`);
  const mine = path.join(staging, `read-${process.pid}-01abc.ndjson`);
  const other = path.join(staging, 'notes.txt');
  for (const f of [dead, live, mine, other]) fs.writeFileSync(f, '');
  assert.equal(await sweepStagedReads(staging), 1);
  assert.deepEqual(fs.readdirSync(staging).sort(), [path.basename(live), path.basename(mine), 'notes.txt'].sort());
  assert.equal(await sweepStagedReads(path.join(dir, 'missing')), 0);
});
