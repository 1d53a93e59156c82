import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StripeEmulator } from '../../../src/emulator/stripe/index.js';
import { freePort, kill9, startServeChild } from '../../support/child-sluice.js';

/** `sluice serve` as a child process on its own data dir. */
export interface SluiceServer {
  /** `http://127.0.0.1:PORT` — the address the session cookie and the Origin check expect. */
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** The last lines the server printed (LOG_LEVEL=warn), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** The server's environment, or a function of its port (for a SLUICE_PUBLIC_URL that names the port). */
export type ServerEnv = Record<string, string> | ((port: number) => Record<string, string>);

/**
 * Starts `sluice serve` on a fresh data dir under the system's temp dir (a first start: no owner
 * yet) and a free port, against `emulator`; `close()` kills it and removes the data dir.
 */
export async function startSluiceServer(emulator: StripeEmulator, env: ServerEnv): Promise<SluiceServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-browser-'));
  // Two servers starting at once may be handed the same free port; the loser tries another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let child: ChildProcess;
    const lines: string[] = [];
    const keep = (text: string) => {
      lines.push(...text.split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 30));
    };
    try {
      const extra = typeof env === 'function' ? env(port) : env;
      child = await startServeChild({ PORT: String(port), SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url, ...extra }, keep);
    } catch (error) {
      if (attempt < 3 && /EADDRINUSE/.test(String(error))) continue;
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    // Should the test process die without its after() hook, the server must not outlive it.
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    return {
      url: `http://127.0.0.1:${port}`,
      dataDir,
      child,
      log: () => lines.join('\n'),
      async close() {
        process.off('exit', orphan);
        await kill9(child);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
}
