import type { Command } from 'commander';
import { startGoogleEmulator } from '../emulator/google/index.js';
import { numberIn } from './parse-number.js';

export function googleEmulatorCommand(program: Command): void {
  program
    .command('google-emulator')
    .description(
      'Run the Google Sheets API and OAuth emulator on loopback, for tests and demos: GOOGLE_SHEETS_API_BASE=http://127.0.0.1:12112 GOOGLE_OAUTH_TOKEN_URL=http://127.0.0.1:12112/token GOOGLE_OAUTH_AUTH_URL=http://127.0.0.1:12112/o/oauth2/v2/auth',
    )
    .option('--port <n>', 'port to listen on', numberIn('--port', 0, 65535), 12112)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--latency-ms <n>', 'delay every answer this long', numberIn('--latency-ms', 0, 60_000), 0)
    .option(
      '--quota-per-minute <n>',
      'Sheets API requests per minute per caller before 429 (0: no limit)',
      numberIn('--quota-per-minute', 0, 1_000_000),
      0,
    )
    .action(async (o: { port: number; host: string; latencyMs: number; quotaPerMinute: number }) => {
      const emulator = await startGoogleEmulator({ port: o.port, host: o.host, latencyMs: o.latencyMs, quotaPerMinute: o.quotaPerMinute });
      process.stdout.write(`Google emulator listening on ${emulator.url}\n`);
      const stop = () => void emulator.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
