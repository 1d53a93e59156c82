import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startSluice } from '../server/start.js';
import { exitOnSignals } from './shutdown.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the API, webhook intake and workers (what npm start runs).')
    .option('--no-worker', 'serve HTTP only; runs are left to other processes')
    .action(async (o: { worker: boolean }) => {
      const sluice = await startSluice(loadConfig(), { worker: o.worker });
      sluice.engine.log.info({ url: sluice.url, worker: o.worker }, `Sluice is listening on ${sluice.url}`);
      exitOnSignals(sluice.engine.log, () => sluice.close(), sluice.stoppedByItself);
    });
}
