import { quote } from '../core/field-error.js';
import { holdsMask, maskUrl, URL_MASK } from '../core/url-secrets.js';
import type { SourceType } from '../sources/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';

/**
 * Secrets in source settings (a CSV URL's password, token or query) are kept like a Stripe key:
 * `source_settings` holds the masked form — which every answer, export and log shows — and the
 * clear values are sealed in `source_secret_sealed`, opened in memory only when the source is
 * read (openSourceSettings, through openPullSource).
 *
 * Round trip: a save that sends a masked value back unchanged (the UI does, when another field is
 * edited) keeps the sealed secret; a new address replaces it; an address that still holds the mask
 * but differs from the saved one is refused, since it cannot say which secret it means — and
 * filling the old secret into a new host would send it there.
 */

export type SealedSettings = Pick<ConnectionRecord, 'source_settings' | 'source_secret_sealed'>;

/** The seal's context: a sealed value copied onto another connection does not open. */
const contextOf = (connectionId: string) => `${connectionId}/source`;

type Saved = Pick<ConnectionRecord, 'source_type' | 'source_settings' | 'source_secret_sealed'>;

/**
 * Settings as stored for connection `connectionId`: masked, with their secrets sealed. `saved` is
 * what the connection has now (an edit), whose secret a masked value sent back keeps.
 */
export function sealSourceSettings(
  engine: Engine,
  source: SourceType,
  connectionId: string,
  settings: Record<string, unknown>,
  saved?: Saved,
): SealedSettings {
  const savedShown = saved && saved.source_type === source.type ? (JSON.parse(saved.source_settings) as Record<string, unknown>) : {};
  const savedClear = saved ? openClear(engine, connectionId, saved.source_secret_sealed) : {};
  const shown: Record<string, unknown> = { ...settings };
  const clear: Record<string, string> = {};
  for (const key of source.secretUrls ?? []) {
    const value = settings[key];
    if (typeof value !== 'string') continue;
    const kept = savedClear[key];
    if (kept !== undefined && savedShown[key] === value) {
      clear[key] = kept;
    } else if (holdsMask(value)) {
      const message = `source.${key}: ${quote(value)} still has ${URL_MASK} where a password or a query value was hidden, and is not this connection's saved address; type the whole address again, with its password and query`;
      throw new ApiError(400, message, [{ field: `source.${key}`, value, message }]);
    } else {
      const masked = maskUrl(value);
      if (masked === value) continue;
      clear[key] = value;
      shown[key] = masked;
    }
  }
  return {
    source_settings: JSON.stringify(shown),
    source_secret_sealed: Object.keys(clear).length === 0 ? null : engine.secrets.seal(JSON.stringify(clear), contextOf(connectionId)),
  };
}

/**
 * A connection's settings with their secrets back in place, for reading the source. Never give the
 * result to an answer, an export or a log.
 */
export function openSourceSettings(
  engine: Engine,
  connection: Pick<ConnectionRecord, 'source_settings'> & Partial<Pick<ConnectionRecord, 'id' | 'source_secret_sealed'>>,
): Record<string, unknown> {
  const shown = JSON.parse(connection.source_settings) as Record<string, unknown>;
  if (!connection.source_secret_sealed) return shown;
  if (connection.id === undefined) throw new Error('source: the sealed settings cannot be opened without their connection id');
  return { ...shown, ...openClear(engine, connection.id, connection.source_secret_sealed) };
}

function openClear(engine: Engine, connectionId: string, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  try {
    return JSON.parse(engine.secrets.open(sealed, contextOf(connectionId))) as Record<string, string>;
  } catch (error) {
    throw new Error(`source: the address's password or query cannot be opened: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether this installation's key opens a connection's sealed settings (sluice import checks before writing). */
export function sealedSettingsOpen(engine: Engine, connectionId: string, sealed: string): boolean {
  try {
    openClear(engine, connectionId, sealed);
    return true;
  } catch {
    return false;
  }
}
