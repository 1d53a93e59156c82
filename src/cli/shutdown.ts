import type { Logger } from '../engine/context.js';

/**
 * Ends the process gracefully on SIGINT or SIGTERM (or when `also` resolves: the job worker stopped
 * by itself): the rows in flight finish, then `close` runs and the process exits — with the exit
 * code already set (graphile-worker sets one when it must stop; 1 when the worker stopped by itself),
 * else 0, or 1 if closing failed.
 */
export function exitOnSignals(log: Logger, close: () => Promise<void>, also?: Promise<void>): void {
  let closing = false;
  const shutdown = (why: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal: why }, 'stopping: finishing the rows in flight');
    close().then(
      () => process.exit(process.exitCode ?? 0),
      () => process.exit(1),
    );
  };
  void also?.then(() => {
    // Not asked to stop: a supervisor should see a failure and start the process again.
    process.exitCode ??= 1;
    shutdown('the job worker stopped');
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
