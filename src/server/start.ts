import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { ConfigError, type Config } from '../config.js';
import { createEngine, type Engine, type Logger } from '../engine/context.js';
import { Worker, type WorkerOptions } from '../engine/worker.js';
import { Scheduler, type SchedulerOptions } from '../engine/scheduler.js';
import { Purger, type PurgerOptions } from '../engine/purger.js';
import { sweepStagedReads } from '../engine/staged-read.js';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Db } from '../store/db.js';
import { parsePostgresUrl } from '../store/postgres-url.js';
import { prepareJobs, startJobWorker, type JobsConfig } from '../queue/postgres-jobs.js';
import { loadOrCreateEncryptionKey } from '../store/encryption-key.js';
import { SecretBox } from '../store/secret-box.js';
import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { isLoopbackHost } from './served-on.js';
import { issueSetupCode, withdrawSetupCode } from '../engine/setup-code.js';
import { hasAnyUser } from '../store/users.js';

export interface Sluice {
  app: FastifyInstance;
  engine: Engine;
  worker?: Worker;
  /** Where it listens, e.g. http://127.0.0.1:3000. */
  url: string;
  /** On Postgres: resolves if the job worker ends by itself (the process should then end). */
  stoppedByItself?: Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Run workers in this process (Default: true), with these options. */
  worker?: boolean | WorkerOptions;
  /** Log to stdout. (Default: true) */
  log?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logTo?: DestinationStream;
  scheduler?: SchedulerOptions;
  /** How deleted connections are purged (tests shorten the poll). */
  purger?: PurgerOptions;
  /** The engine's clock (Engine.now); tests set it. (Default: the system clock) */
  now?: () => Date;
}

/** The store, the engine and the workers, without HTTP: what `sluice worker` runs, and what `sluice serve` serves. */
export interface SluiceCore {
  engine: Engine;
  logger: ReturnType<typeof createLogger>;
  worker?: Worker;
  /** On Postgres: resolves if the job worker ends by itself (the process should then end). */
  stoppedByItself?: Promise<void>;
  close(): Promise<void>;
}

/**
 * The engine over an open store, as every process makes it: secrets opened with the configured
 * key (on Postgres it is required — loadConfig — since every process must share it; on SQLite a
 * generated key file serves), and on Postgres each account's pace shared through the store.
 */
export function engineFor(config: Config, db: Db, log: Logger, o: { wake?: () => void; now?: () => Date } = {}): Engine {
  const key =
    config.databaseUrl && config.encryptionKey ? config.encryptionKey : loadOrCreateEncryptionKey(config.dataDir, config.encryptionKey);
  return createEngine({
    db,
    secrets: new SecretBox(key),
    stripeApiBase: config.stripeApiBase,
    publicUrl: config.publicUrl,
    importDir: config.importDir,
    dataDir: config.dataDir,
    stagingDir: path.join(config.dataDir, 'staging'),
    outbound: config.outbound,
    google: config.google,
    stripeRate: config.stripeRate,
    stripeTimeoutMs: config.stripeTimeoutMs,
    log,
    sharedPace: config.databaseUrl !== undefined,
    ...o,
  });
}

/**
 * Makes the import folder (SLUICE_IMPORT_DIR) if missing, readable by Sluice's user alone (0700),
 * so that it is there to copy files into and to list. A folder that exists keeps its mode: the
 * operator may share it with the program that drops the files.
 */
function prepareImportFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(
      `SLUICE_IMPORT_DIR: the import folder ${dir} cannot be made (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); make it, or point SLUICE_IMPORT_DIR at a folder Sluice can write`,
    );
  }
}

/**
 * Opens the store and makes the engine, then starts the work unless told not to. On SQLite (one
 * process), the in-process worker takes queued runs and the scheduler fires slots. On Postgres
 * (DATABASE_URL, any number of processes), graphile-worker's jobs do both (queue/postgres-jobs.ts)
 * and each Stripe account's pace is shared through the store.
 */
export async function startCore(config: Config, o: StartOptions = {}): Promise<SluiceCore> {
  const logger = createLogger({ enabled: o.log ?? true, ...(o.logTo && { destination: o.logTo }) });
  prepareImportFolder(config.importDir);
  const db = await openStore({ dataDir: config.dataDir, ...(config.databaseUrl && { databaseUrl: config.databaseUrl }) });
  let worker: Worker | undefined;
  let purger: Purger | undefined;
  const wake = () => {
    worker?.wake();
    purger?.wake();
  };
  const engine = engineFor(config, db, logger, { wake, ...(o.now && { now: o.now }) });
  const workerOptions = typeof o.worker === 'object' ? o.worker : {};
  // Reads a process killed part way left staged: never merged, so only removed (staged-read.ts).
  await sweepStagedReads(engine.stagingDir);
  // Deleted connections are purged by every process that works, on either store (store/purge.ts).
  if (o.worker !== false) {
    purger = new Purger(engine, o.purger ?? {});
    purger.start();
  }
  if (config.databaseUrl) {
    const target = parsePostgresUrl(config.databaseUrl);
    const jobs: JobsConfig = { databaseUrl: config.databaseUrl, ...(target.schema && { storeSchema: target.schema }) };
    const pool = new pg.Pool({ connectionString: target.connectionString });
    pool.on('error', () => {});
    await prepareJobs(pool, jobs);
    const jobWorker =
      o.worker === false
        ? undefined
        : await startJobWorker(engine, pool, jobs, {
            ...(workerOptions.concurrency !== undefined && { concurrency: workerOptions.concurrency }),
            ...(workerOptions.leaseMs !== undefined && { leaseMs: workerOptions.leaseMs }),
          });
    return {
      engine,
      logger,
      ...(jobWorker && { stoppedByItself: jobWorker.stoppedByItself }),
      async close() {
        await purger?.stop();
        await jobWorker?.stop();
        await pool.end();
        await db.destroy();
      },
    };
  }
  let scheduler: Scheduler | undefined;
  if (o.worker !== false) {
    worker = new Worker(engine, workerOptions);
    await worker.start();
    // Every process that works runs a scheduler too; claims in the database keep each slot to one.
    scheduler = new Scheduler(engine, o.scheduler ?? {});
    scheduler.start();
  }
  return {
    engine,
    logger,
    ...(worker && { worker }),
    async close() {
      scheduler?.stop();
      await purger?.stop();
      await worker?.stop();
      await db.destroy();
    },
  };
}

/**
 * Whether people on other machines can reach this Sluice: it listens on an address other than
 * loopback, or its public URL names another host (a proxy on this machine forwards to loopback —
 * then the world reaches it although it listens on 127.0.0.1). Such a Sluice with no owner yet
 * asks for a setup code to create one through the web.
 */
export function reachableFromElsewhere(config: Config): boolean {
  return !isLoopbackHost(config.host) || (config.publicUrlSet && !isLoopbackHost(new URL(config.publicUrl).hostname));
}

/** Why HOST without SLUICE_PUBLIC_URL is a problem, said at every start that has it. */
export function publicUrlWarning(config: Config, publicUrl = config.publicUrl): string | undefined {
  if (isLoopbackHost(config.host) || config.publicUrlSet) return undefined;
  return `HOST=${config.host} listens on an address other machines can reach, but SLUICE_PUBLIC_URL is not set: hook URLs will read ${publicUrl}, and the web UI refuses to sign in from any other address (a page's Origin is compared with SLUICE_PUBLIC_URL, never with the Host header, which a DNS-rebinding page chooses). Set SLUICE_PUBLIC_URL to the address browsers and web forms use, e.g. https://sluice.example.com`;
}

/** Opens the store, starts the work (unless told not to) and the HTTP server. */
export async function startSluice(config: Config, o: StartOptions = {}): Promise<Sluice> {
  const core = await startCore(config, o);
  const { engine } = core;
  const setupCodeRequired = reachableFromElsewhere(config);
  const app = await buildApp({
    engine,
    webhookMaxBytes: config.webhookMaxBytes,
    logger: core.logger,
    host: config.host,
    http: config.http,
    setupCodeRequired,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  // With PORT=0 the port is known only now; hook URLs must carry the real one.
  if (config.port === 0 && !config.publicUrlSet) engine.publicUrl = address.replace('[::1]', '127.0.0.1');
  const warning = publicUrlWarning(config, engine.publicUrl);
  if (warning) engine.log.warn({ host: config.host }, warning);
  // Printed once, at warn so that LOG_LEVEL=warn still shows it; never logged or returned again.
  const setupCode = setupCodeRequired && !(await hasAnyUser(engine.db)) ? await issueSetupCode(engine.db) : undefined;
  if (setupCode) {
    engine.log.warn(
      {},
      `No owner yet, and this Sluice can be reached from other machines: the first-start page asks for this one-time setup code: ${setupCode.code} (or create the owner on this machine with: sluice owner create --email <email>)`,
    );
  }
  return {
    app,
    engine,
    ...(core.worker && { worker: core.worker }),
    ...(core.stoppedByItself && { stoppedByItself: core.stoppedByItself }),
    url: address.replace('[::1]', '127.0.0.1'),
    async close() {
      await app.close();
      // The code this process printed goes with it (a restart prints a new one).
      if (setupCode) await withdrawSetupCode(engine.db, setupCode.id).catch(() => {});
      await core.close();
    },
  };
}
