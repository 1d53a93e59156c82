import { startServer } from './server.js';
import type { GoogleEmulator, GoogleEmulatorOptions } from './types.js';

export type { GoogleEmulator, GoogleEmulatorOptions, RecordedRequest, ShareRole } from './types.js';

/**
 * Starts a stateful Google emulator on a loopback address: the OAuth token endpoint (service
 * account JWTs, authorization codes, refresh tokens), an instant consent screen, the Sheets API v4
 * (spreadsheets, batchUpdate, values) with Google's errors, sharing and quota, and published-CSV
 * links. Clients use `${emulator.url}/` as their rootUrl. See NOTES.md in this folder.
 */
export function startGoogleEmulator(options?: GoogleEmulatorOptions): Promise<GoogleEmulator> {
  return startServer(options);
}
