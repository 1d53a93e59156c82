import pg from 'pg';
import { run, runMigrations, type Logger as WorkerLogger, type Runner, type Task } from 'graphile-worker';
import { Logger as GraphileLogger } from 'graphile-worker';
import { claimRun, expireLeases, runningOwners } from '../store/runs.js';
import { runsToResume } from '../store/run-recovery.js';
import { isDeadLocalOwner } from '../engine/worker.js';
import type { Engine } from '../engine/context.js';
import { fireDueConnection } from '../engine/scheduler.js';
import { runConnection } from '../engine/run-connection.js';

/**
 * Sluice's jobs on Postgres, through graphile-worker (an existing, well-kept Postgres job engine:
 * jobs are rows taken with SKIP LOCKED, new ones are announced with LISTEN/NOTIFY, and a job key
 * makes a job unique). Chosen over pg-boss because it runs on this project's Node 20 and because
 * its `add_job` is a SQL function: triggers on Sluice's own tables call it in the very transaction
 * that queues a run or moves a schedule, so a run is never committed without its job, nor a job
 * without its run — nothing the store does has to remember to enqueue.
 *
 * - `sluice_run {runId}`: a queued run. The run's claim in the store (a conditional update) still
 *   decides who runs it; a run that cannot start yet (its connection has another run going) is
 *   queued again by the trigger when that run ends.
 * - `sluice_slot {connectionId}`: a connection's next scheduled slot, its `run_at` the slot's
 *   time and its key `slot:<connection>` (replaced whenever next_run_at moves, removed when it is
 *   cleared). The slot is claimed with the same conditional update as in the embedded mode, so it
 *   fires once however many workers see the job.
 * - `sluice_sweep` (every minute, once for the whole cluster by graphile-worker's cron): runs whose
 *   worker died are queued again when their lease has run out, and queued runs get their job back.
 */

export interface JobsConfig {
  /** postgres://… of the store. */
  databaseUrl: string;
  /** The schema Sluice's tables are in (search_path). (Default: public) */
  storeSchema?: string;
  /** The schema of graphile-worker's own tables. (Default: graphile_worker, or `<storeSchema>_jobs` for another store schema) */
  jobsSchema?: string;
}

const jobsSchemaOf = (c: JobsConfig) =>
  c.jobsSchema ?? (c.storeSchema && c.storeSchema !== 'public' ? `${c.storeSchema}_jobs` : 'graphile_worker');
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Installs graphile-worker's schema and Sluice's triggers; safe to call from every process at
 * start (an advisory lock keeps two from doing it at once; every statement is idempotent).
 */
export async function prepareJobs(pool: pg.Pool, c: JobsConfig): Promise<void> {
  const jobs = jobsSchemaOf(c);
  await runMigrations({ pgPool: pool, schema: jobs, logger: quietLogger });
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', ['sluice_jobs_triggers']);
    try {
      await client.query(triggersSql(ident(jobs), c.storeSchema ? ident(c.storeSchema) : undefined));
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', ['sluice_jobs_triggers']);
    }
  } finally {
    client.release();
  }
}

/** The triggers that turn store changes into jobs. `jobs` and `store` are quoted identifiers. */
function triggersSql(jobs: string, store: string | undefined): string {
  const at = store ? `${store}.` : '';
  return `
create or replace function ${at}sluice_run_jobs() returns trigger language plpgsql as $fn$
begin
  if NEW.status = 'queued' and (TG_OP = 'INSERT' or OLD.status is distinct from 'queued') then
    perform ${jobs}.add_job('sluice_run', json_build_object('runId', NEW.id), job_key := 'run:' || NEW.id);
  end if;
  -- A run that ends lets the next queued run of its connection start.
  if TG_OP = 'UPDATE' and OLD.status = 'running' and NEW.status <> 'running' then
    perform ${jobs}.add_job('sluice_run', json_build_object('runId', r.id), job_key := 'run:' || r.id)
      from ${at}runs r where r.connection_id = NEW.connection_id and r.status = 'queued' and r.id <> NEW.id
      order by r.id limit 1;
  end if;
  return NEW;
end $fn$;
drop trigger if exists sluice_run_jobs on ${at}runs;
create trigger sluice_run_jobs after insert or update of status on ${at}runs
  for each row execute function ${at}sluice_run_jobs();

create or replace function ${at}sluice_slot_jobs() returns trigger language plpgsql as $fn$
begin
  if NEW.next_run_at is null then
    if TG_OP = 'UPDATE' and OLD.next_run_at is not null then
      perform ${jobs}.remove_job('slot:' || NEW.id);
    end if;
  elsif TG_OP = 'INSERT' or OLD.next_run_at is distinct from NEW.next_run_at then
    perform ${jobs}.add_job('sluice_slot', json_build_object('connectionId', NEW.id),
      run_at := NEW.next_run_at::timestamptz, job_key := 'slot:' || NEW.id, job_key_mode := 'replace');
  end if;
  return NEW;
end $fn$;
drop trigger if exists sluice_slot_jobs on ${at}connections;
create trigger sluice_slot_jobs after insert or update of next_run_at on ${at}connections
  for each row execute function ${at}sluice_slot_jobs();`;
}

export interface JobWorkerOptions {
  /** Runs worked on at once by this process. (Default: 16) */
  concurrency?: number;
  /** How long a claim on a run holds without renewal. (Default: 30 s) */
  leaseMs?: number;
}

/**
 * Works Sluice's jobs in this process until `stop`: the runs, the schedule slots and the sweep.
 * Stopping lets the rows in flight finish; a run stopped part way is queued again for any worker.
 */
export async function startJobWorker(
  engine: Engine,
  pool: pg.Pool,
  c: JobsConfig,
  o: JobWorkerOptions = {},
): Promise<{ stop(): Promise<void>; /** Resolves if the worker ends without stop() (never otherwise). */ stoppedByItself: Promise<void> }> {
  const leaseMs = o.leaseMs ?? 30_000;
  const stopping = new AbortController();
  const sluiceRun: Task = async (payload) => {
    const { runId } = payload as { runId: string };
    const claimed = await claimRun(engine.db, runId, engine.owner, leaseMs);
    // Another worker has it, it has ended, or its connection has another run going (the trigger
    // queues it again when that run ends): nothing to do.
    if (!claimed) return;
    await runConnection(engine, claimed, { owner: engine.owner, leaseMs, signal: stopping.signal });
  };
  const sluiceSlot: Task = async (payload) => {
    const { connectionId } = payload as { connectionId: string };
    await fireDueConnection(engine.db, connectionId, new Date());
  };
  const addRunJob = (id: string) =>
    pool.query(`select ${ident(jobsSchemaOf(c))}.add_job('sluice_run', json_build_object('runId', $1::text), job_key := 'run:' || $1)`, [
      id,
    ]);
  // Queued runs get their job back (queued before the triggers existed, or their job ran while
  // their connection was busy), and runs whose worker died are resumed once their lease runs out.
  const sweep = async () => {
    for (const id of await runsToResume(engine.db)) await addRunJob(id);
  };
  // A run left running by a dead process on this host resumes now rather than after its lease.
  await expireLeases(engine.db, (await runningOwners(engine.db)).filter(isDeadLocalOwner));
  await sweep();
  const runner: Runner = await run({
    pgPool: pool,
    schema: jobsSchemaOf(c),
    concurrency: o.concurrency ?? 16,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: workerLogger(engine),
    taskList: { sluice_run: sluiceRun, sluice_slot: sluiceSlot, sluice_sweep: sweep },
    crontab: '* * * * * sluice_sweep ?max=1',
  });
  // graphile-worker stops by itself when another process installs a newer, incompatible version of
  // its schema (it would be unsafe to go on): say so, and let the caller end the process.
  const ended = runner.promise.then(
    () => undefined,
    (error: Error) => engine.log.error({ err: error.message }, 'the job worker failed'),
  );
  const stoppedByItself = ended.then(() => {
    if (stopping.signal.aborted) return new Promise<void>(() => {});
    engine.log.error({}, 'the job worker stopped by itself; this process works no more jobs — restart it');
    return undefined;
  });
  return {
    stoppedByItself,
    async stop() {
      stopping.abort();
      await runner.stop();
    },
  };
}

const quietLogger: WorkerLogger = new GraphileLogger(() => () => {});

/** graphile-worker's own log lines, at warning and above, through Sluice's logger. */
function workerLogger(engine: Engine): WorkerLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    if (level === 'error') engine.log.error({ scope, ...meta }, message);
    else if (level === 'warning') engine.log.warn({ scope, ...meta }, message);
  });
}
