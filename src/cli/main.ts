#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { apiKeyCommands } from './api-key.js';
import { connectionCommands } from './connections.js';
import { emulatorCommand } from './stripe-emulator.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { googleEmulatorCommand } from './google-emulator.js';
import { ownerCommands } from './owner.js';
import { serveCommand } from './serve.js';
import { workerCommand } from './worker.js';

/** The `sluice` command. Commands that read the store use the same SLUICE_DATA_DIR as the server. */
const program = new Command('sluice')
  .description('Feed Stripe from CSV files and web forms — every row exactly once.')
  .showHelpAfterError();

serveCommand(program);
workerCommand(program);
apiKeyCommands(program);
ownerCommands(program);
connectionCommands(program);
exportCommand(program);
importCommand(program);
emulatorCommand(program);
googleEmulatorCommand(program);

try {
  loadConfig();
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`sluice: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
}
