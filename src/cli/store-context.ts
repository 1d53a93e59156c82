import { loadConfig, type Config } from '../config.js';
import type { Engine } from '../engine/context.js';
import { createLogger } from '../server/logger.js';
import { engineFor } from '../server/start.js';
import { openStore } from '../store/db.js';

/** The engine over the configured store (SQLite, or Postgres with DATABASE_URL), for CLI commands (quiet: logs go nowhere unless LOG_LEVEL says). */
export async function openEngine(): Promise<{ engine: Engine; config: Config; close(): Promise<void> }> {
  const config = loadConfig();
  const db = await openStore({ dataDir: config.dataDir, ...(config.databaseUrl && { databaseUrl: config.databaseUrl }) });
  const engine = engineFor(config, db, createLogger({ enabled: Boolean(process.env.LOG_LEVEL) }));
  return { engine, config, close: () => db.destroy() };
}
