import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../config.js';
import { createEngine, type Engine } from '../engine/context.js';
import { Worker, type WorkerOptions } from '../engine/worker.js';
import { Scheduler, type SchedulerOptions } from '../engine/scheduler.js';
import { openDatabase } from '../store/db.js';
import { loadOrCreateEncryptionKey } from '../store/encryption-key.js';
import { SecretBox } from '../store/secret-box.js';
import { buildApp } from './app.js';
import { createLogger } from './logger.js';

export interface Sluice {
  app: FastifyInstance;
  engine: Engine;
  worker?: Worker;
  /** Where it listens, e.g. http://127.0.0.1:3000. */
  url: string;
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
  /** The engine's clock (Engine.now); tests set it. (Default: the system clock) */
  now?: () => Date;
}

/** Opens the store, starts the worker (unless told not to) and the HTTP server. */
export async function startSluice(config: Config, o: StartOptions = {}): Promise<Sluice> {
  const logger = createLogger({ enabled: o.log ?? true, ...(o.logTo && { destination: o.logTo }) });
  const db = await openDatabase({ dataDir: config.dataDir });
  const secrets = new SecretBox(loadOrCreateEncryptionKey(config.dataDir, config.encryptionKey));
  let worker: Worker | undefined;
  const engine = createEngine({
    db,
    secrets,
    stripeApiBase: config.stripeApiBase,
    publicUrl: config.publicUrl,
    google: config.google,
    stripeRate: config.stripeRate,
    stripeTimeoutMs: config.stripeTimeoutMs,
    log: logger,
    wake: () => worker?.wake(),
    ...(o.now && { now: o.now }),
  });
  let scheduler: Scheduler | undefined;
  if (o.worker !== false) {
    worker = new Worker(engine, typeof o.worker === 'object' ? o.worker : {});
    await worker.start();
    // Every process that works runs a scheduler too; claims in the database keep each slot to one.
    scheduler = new Scheduler(engine, o.scheduler ?? {});
    scheduler.start();
  }
  const app = await buildApp({ engine, webhookMaxBytes: config.webhookMaxBytes, logger });
  const address = await app.listen({ port: config.port, host: config.host });
  // With PORT=0 the port is known only now; hook URLs must carry the real one.
  if (config.port === 0 && !config.publicUrlSet) engine.publicUrl = address.replace('[::1]', '127.0.0.1');
  return {
    app,
    engine,
    ...(worker && { worker }),
    url: address.replace('[::1]', '127.0.0.1'),
    async close() {
      scheduler?.stop();
      await app.close();
      await worker?.stop();
      await db.destroy();
    },
  };
}
