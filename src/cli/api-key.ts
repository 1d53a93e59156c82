import type { Command } from 'commander';
import { createApiKey, deleteApiKey, listApiKeys } from '../store/api-keys.js';
import { openEngine } from './store-context.js';

export function apiKeyCommands(program: Command): void {
  const apiKey = program.command('api-key').description('API keys for the REST API.');
  apiKey
    .command('create')
    .description('Create an API key and print it once, on a line of its own; only its hash is stored.')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci" or "zapier"')
    .action(async (o: { name: string }) => {
      const { engine, close } = await openEngine();
      const { key } = await createApiKey(engine.db, o.name);
      await close();
      process.stdout.write(`${key}\n`);
      process.stderr.write('Keep this key now: Sluice stores only its hash and cannot show it again.\n');
    });
  apiKey
    .command('list')
    .description('List API keys (names and prefixes, never the keys).')
    .action(async () => {
      const { engine, close } = await openEngine();
      const keys = await listApiKeys(engine.db);
      await close();
      for (const k of keys)
        process.stdout.write(`${k.id}\t${k.key_prefix}…\t${k.name}\tcreated ${k.created_at}\tlast used ${k.last_used_at ?? 'never'}\n`);
    });
  apiKey
    .command('revoke <id>')
    .description('Delete an API key; requests with it are refused from now on.')
    .action(async (id: string) => {
      const { engine, close } = await openEngine();
      const deleted = await deleteApiKey(engine.db, id);
      await close();
      if (!deleted) throw new Error(`no API key has the id ${id}`);
      process.stdout.write(`revoked ${id}\n`);
    });
}
