import type { Command } from 'commander';
import { startStripeEmulator } from '../emulator/stripe/index.js';
import { numberIn } from './parse-number.js';

export function emulatorCommand(program: Command): void {
  program
    .command('stripe-emulator')
    .description('Run the Stripe API emulator on loopback, for tests and demos: STRIPE_API_BASE=http://127.0.0.1:12111')
    .option('--port <n>', 'port to listen on', numberIn('--port', 0, 65535), 12111)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--latency-ms <n>', 'delay every answer this long', numberIn('--latency-ms', 0, 60_000), 0)
    .option('--rate-limit <n>', 'requests per second per account before 429 (0: no limit)', numberIn('--rate-limit', 0, 1_000_000), 0)
    .option('--fault-rate <p>', 'share of requests, 0–1, that get a 500 or a dropped connection', numberIn('--fault-rate', 0, 1), 0)
    .option(
      '--after-write-fault-rate <p>',
      'share of writes, 0–1, that are made but answered with a 500 (replayed for the key) or a dropped connection',
      numberIn('--after-write-fault-rate', 0, 1),
      0,
    )
    .action(
      async (o: { port: number; host: string; latencyMs: number; rateLimit: number; faultRate: number; afterWriteFaultRate: number }) => {
        const emulator = await startStripeEmulator({
          port: o.port,
          host: o.host,
          latencyMs: o.latencyMs,
          rateLimit: o.rateLimit,
          faultRate: o.faultRate,
          afterWriteFaultRate: o.afterWriteFaultRate,
        });
        process.stdout.write(`Stripe emulator listening on ${emulator.url}\n`);
        const stop = () => void emulator.close().then(() => process.exit(0));
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      },
    );
}
