import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { requireConnection } from '../engine/connections.js';
import { runConnection } from '../engine/run-connection.js';
import { requireRun, runView, runWithRows } from '../engine/runs.js';
import { listConnections } from '../store/connections.js';
import { countRows } from '../store/rows.js';
import { claimRun, createRun, getRun, listRuns } from '../store/runs.js';
import type { Engine } from '../engine/context.js';
import { openEngine } from './store-context.js';
import { scheduleOf } from '../engine/schedules.js';

const LEASE_MS = 30_000;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Shows a run's progress until it ends: rows done of rows known (a pull source's rows become known as they are read). */
async function follow(engine: Engine, runId: string, connectionId: string, work: Promise<unknown> | undefined): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {value}/{total} rows | sent {sent} | failed {failed} | {status}',
      hideCursor: true,
      noTTYOutput: false,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { sent: 0, failed: 0, status: 'queued' });
  let ended = false;
  void work?.finally(() => (ended = true));
  for (;;) {
    const run = await getRun(engine.db, runId);
    if (!run) throw new Error(`run ${runId} disappeared`);
    const view = await runView(engine, run);
    const pending = (await countRows(engine.db, connectionId)).pending;
    const done = view.counts.sent + view.counts.failed + view.counts.skipped;
    bar.setTotal(Math.max(done + (run.finished_at ? 0 : pending), 1));
    bar.update(done, { sent: view.counts.sent, failed: view.counts.failed, status: view.status });
    if (run.finished_at || (ended && run.status !== 'running')) break;
    await sleep(250);
  }
  bar.stop();
}

export function connectionCommands(program: Command): void {
  const connections = program.command('connections').description('Connections.');
  connections
    .command('list')
    .description('List connections with their rows by state.')
    .action(async () => {
      const { engine, close } = await openEngine();
      const rows = [['ID', 'NAME', 'SOURCE', 'ACTION', 'ENABLED', 'SCHEDULE', 'NEXT RUN', 'SENT', 'FAILED', 'PENDING']];
      for (const c of await listConnections(engine.db)) {
        const n = await countRows(engine.db, c.id);
        const s = scheduleOf(c);
        const schedule =
          s.kind === 'interval'
            ? `every ${s.minutes} min`
            : s.kind === 'times'
              ? `${s.times.join(',')} ${s.timezone}`
              : s.kind === 'after'
                ? `after ${s.connectionId}`
                : 'off';
        rows.push([
          c.id,
          c.name,
          c.source_type,
          c.action,
          c.enabled ? 'yes' : 'no',
          schedule,
          c.next_run_at ?? '-',
          String(n.sent),
          String(n.failed),
          String(n.pending),
        ]);
      }
      await close();
      process.stdout.write(table(rows));
    });

  program
    .command('run <connectionId>')
    .description('Force a run of a connection now and follow it with a progress bar. Works with or without a running server.')
    .option('--no-wait', 'queue the run and return its id at once')
    .action(async (connectionId: string, o: { wait: boolean }) => {
      const { engine, close } = await openEngine();
      try {
        await requireConnection(engine, connectionId);
        const runId = await createRun(engine.db, connectionId, 'manual');
        process.stdout.write(`${runId}\n`);
        if (!o.wait) return;
        // Run it here unless a server's worker claims it first; either way, follow it.
        const owner = engine.owner;
        const claimed = await claimRun(engine.db, runId, owner, LEASE_MS);
        const work = claimed ? runConnection(engine, claimed, { owner, leaseMs: LEASE_MS }) : undefined;
        await follow(engine, runId, connectionId, work);
        await work;
        const view = await runView(engine, await requireRun(engine, runId));
        process.stdout.write(
          `${view.status}: ${view.counts.sent} sent, ${view.counts.failed} failed, ${view.counts.skipped} skipped${view.error ? ` — ${view.error}` : ''}\n`,
        );
        if (view.status === 'failed') process.exitCode = 2;
      } finally {
        await close();
      }
    });

  const runs = program.command('runs').description('Runs and what they did with each row.');
  runs
    .command('list <connectionId>')
    .description('The latest runs of a connection.')
    .action(async (connectionId: string) => {
      const { engine, close } = await openEngine();
      const rows = [['RUN', 'TRIGGER', 'STATUS', 'SENT', 'FAILED', 'SKIPPED', 'CREATED']];
      for (const r of await listRuns(engine.db, connectionId)) {
        const v = await runView(engine, r);
        rows.push([v.id, v.trigger, v.status, String(v.counts.sent), String(v.counts.failed), String(v.counts.skipped), v.createdAt]);
      }
      await close();
      process.stdout.write(table(rows));
    });
  runs
    .command('show <runId>')
    .description("A run's rows: the Stripe object each produced, or its error.")
    .option('--failed', 'only the failed rows')
    .action(async (runId: string, o: { failed?: boolean }) => {
      const { engine, close } = await openEngine();
      try {
        const run = await runWithRows(engine, runId, { limit: '10000', ...(o.failed && { status: 'failed' }) });
        process.stdout.write(
          `${run.id}  ${run.status}  sent ${run.counts.sent}  failed ${run.counts.failed}  skipped ${run.counts.skipped}${run.error ? `\n${run.error}` : ''}\n`,
        );
        for (const w of run.warnings) process.stdout.write(`warning: ${w}\n`);
        process.stdout.write(
          table([['ROW', 'STATUS', 'STRIPE', 'ERROR'], ...run.rows.map((r) => [r.rowKey, r.status, r.stripeId ?? '', r.error ?? ''])]),
        );
      } finally {
        await close();
      }
    });
}
