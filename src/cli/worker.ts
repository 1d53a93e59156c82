import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startCore } from '../server/start.js';
import { exitOnSignals } from './shutdown.js';
import { numberIn } from './parse-number.js';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('Work runs and schedules only, without HTTP: for several processes sharing one Postgres (DATABASE_URL).')
    .option('--concurrency <n>', 'runs worked on at once by this process (Default: 16)', (v: string) =>
      Math.trunc(numberIn('--concurrency', 1, 256)(v)),
    )
    .action(async (o: { concurrency?: number }) => {
      const config = loadConfig();
      if (!config.databaseUrl) {
        // On SQLite one process does everything: a second one would only compete for the file.
        throw new Error(
          'sluice worker needs DATABASE_URL (a Postgres store shared by several processes); with SQLite, `sluice serve` works the runs itself',
        );
      }
      const core = await startCore(config, { worker: { ...(o.concurrency !== undefined && { concurrency: o.concurrency }) } });
      core.engine.log.info({ owner: core.engine.owner }, 'Sluice worker started');
      exitOnSignals(core.engine.log, () => core.close(), core.stoppedByItself);
    });
}
