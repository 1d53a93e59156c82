import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseEncryptionKey } from '../config.js';

/**
 * The key that encrypts secrets at rest: SLUICE_ENCRYPTION_KEY when set, otherwise a random key
 * generated once into `<dataDir>/encryption.key` with mode 0600. Created with O_EXCL so that two
 * processes starting at once cannot each write a different key.
 */
export function loadOrCreateEncryptionKey(dataDir: string, fromEnv?: Buffer): Buffer {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'encryption.key');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseEncryptionKey(fs.readFileSync(file, 'utf8'), file);
}
