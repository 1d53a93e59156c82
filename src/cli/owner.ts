import type { Command } from 'commander';
import { setupOwner } from '../engine/owner.js';
import { openEngine } from './store-context.js';

/**
 * The password from SLUICE_OWNER_PASSWORD, or else from stdin (one line). Never from an argument,
 * where it would sit in the shell history and the process list; and not prompted for, since the
 * terminal would echo it.
 */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.SLUICE_OWNER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    throw new Error('no password: pipe it on stdin (sluice owner create --email E < file) or set SLUICE_OWNER_PASSWORD');
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

export function ownerCommands(program: Command): void {
  const owner = program.command('owner').description('The owner, who logs in to the web UI.');
  owner
    .command('create')
    .description(
      'Create the owner on a Sluice that has none, instead of in the browser (the first visitor of a fresh Sluice could otherwise do it).',
    )
    .requiredOption('--email <email>', 'the owner’s email, which is also the login')
    .action(async (o: { email: string }) => {
      const password = await readPassword();
      const { engine, close } = await openEngine();
      try {
        const user = await setupOwner(engine.db, { email: o.email, password });
        process.stdout.write(`created the owner ${user.email} (${user.id})\n`);
      } finally {
        await close();
      }
    });
}
