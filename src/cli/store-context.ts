import { loadConfig, type Config } from '../config.js';
import { createEngine, type Engine } from '../engine/context.js';
import { createLogger } from '../server/logger.js';
import { openDatabase } from '../store/db.js';
import { loadOrCreateEncryptionKey } from '../store/encryption-key.js';
import { SecretBox } from '../store/secret-box.js';

/** The engine over the configured store, for CLI commands (quiet: logs go nowhere unless LOG_LEVEL says). */
export async function openEngine(): Promise<{ engine: Engine; config: Config; close(): Promise<void> }> {
  const config = loadConfig();
  const db = await openDatabase({ dataDir: config.dataDir });
  const engine = createEngine({
    db,
    secrets: new SecretBox(loadOrCreateEncryptionKey(config.dataDir, config.encryptionKey)),
    stripeApiBase: config.stripeApiBase,
    publicUrl: config.publicUrl,
    google: config.google,
    stripeRate: config.stripeRate,
    stripeTimeoutMs: config.stripeTimeoutMs,
    log: createLogger({ enabled: Boolean(process.env.LOG_LEVEL) }),
  });
  return { engine, config, close: () => db.destroy() };
}
