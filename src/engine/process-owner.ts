import crypto from 'node:crypto';
import os from 'node:os';

/** A process's name on the runs it claims: host, pid and a random part (pids are reused). */
export function processOwner(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}
