import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startSluice } from '../server/start.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the API, webhook intake and workers (what npm start runs).')
    .option('--no-worker', 'serve HTTP only; runs are left to other processes')
    .action(async (o: { worker: boolean }) => {
      const sluice = await startSluice(loadConfig(), { worker: o.worker });
      sluice.engine.log.info({ url: sluice.url, worker: o.worker }, `Sluice is listening on ${sluice.url}`);
      let closing = false;
      const shutdown = (signal: string) => {
        if (closing) return;
        closing = true;
        sluice.engine.log.info({ signal }, 'stopping: finishing the rows in flight');
        sluice.close().then(
          () => process.exit(process.exitCode ?? 0),
          () => process.exit(1),
        );
      };
      void sluice.stoppedByItself?.then(() => shutdown('the job worker stopped'));
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
