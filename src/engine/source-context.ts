import { sourceTypes, type PullSource, type SourceContext } from '../sources/index.js';
import { getAccount } from '../store/accounts.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { Engine } from './context.js';
import { openSourceSettings } from './source-secrets.js';

/** What every source read gets from the engine: the import folder and the data dir, how to fetch URLs. */
export function sourceContextOf(engine: Engine): SourceContext {
  return { importDir: engine.importDir, dataDir: engine.dataDir, outbound: engine.outbound };
}

/**
 * A connection's pull source with what it needs to read: its settings and, if it uses one, its
 * account's API. The settings come with their sealed secrets opened (a CSV URL's password and
 * query: see source-secrets.ts), so they are for reading only — never for an answer or a log. A
 * connection with sealed settings must be given with its `id` and `source_secret_sealed`.
 */
export async function openPullSource(
  engine: Engine,
  connection: Pick<ConnectionRecord, 'source_type' | 'source_settings' | 'source_account_id'> &
    Partial<Pick<ConnectionRecord, 'id' | 'source_secret_sealed'>>,
  signal?: AbortSignal,
): Promise<{ source: PullSource; settings: unknown; ctx: SourceContext } | undefined> {
  const source = sourceTypes.get(connection.source_type);
  if (source?.mode !== 'pull') return undefined;
  const ctx: SourceContext = { ...sourceContextOf(engine), ...(signal && { signal }) };
  if (connection.source_account_id) {
    const account = await getAccount(engine.db, connection.source_account_id);
    if (!account) throw new Error(`source: account ${connection.source_account_id} does not exist`);
    const sheets = engine.google.sheets(account);
    if (sheets) ctx.sheets = sheets;
  }
  return { source, settings: openSourceSettings(engine, connection), ctx };
}
