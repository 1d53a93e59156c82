import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { listAccounts, type AccountRecord } from '../store/accounts.js';
import { listConnections, type ConnectionRecord } from '../store/connections.js';
import { nowIso } from '../store/ids.js';
import { openEngine } from './store-context.js';

/**
 * The export document: an installation's accounts and connections, to recreate them in another
 * store (`sluice import`). `format` and `version` never change meaning: a change to the fields is
 * a new version, and an importer refuses versions it does not know rather than guess.
 *
 * Accounts carry their secret as stored — sealed by SecretBox with the account id as context — so
 * the file never holds a key in the clear, and only an installation with the same encryption key
 * can use it. Ids are kept: the seal is bound to the account id, connections name their account
 * and chains name their connection by id, and hook tokens are kept so that forms in the wild still
 * post to the same URL. Runs, the row ledger, users, sessions and API keys are not exported.
 * A connection's source secrets (a CSV URL's password and query) travel the same way: sealed with
 * the connection id as context, the source showing them masked.
 */
export const EXPORT_FORMAT = 'sluice-export';
/**
 * The version written. 2: connections carry `sourceSecretSealed`, and their `source` shows a CSV
 * URL's password and query masked (version 1 had the URL in the clear and no such field).
 */
export const EXPORT_VERSION = 2;
/** The versions `sluice import` reads: a version 1 document's clear URLs are sealed on import. */
export const IMPORTABLE_VERSIONS = [1, 2] as const;

const iso = z.iso.datetime({ error: 'is not an ISO-8601 UTC time such as "2026-03-28T07:00:00.000Z"' });
const accountId = z.string().regex(/^acc_[0-9A-Za-z_-]{1,100}$/, 'is not an account id (acc_…)');
const connectionId = z.string().regex(/^con_[0-9A-Za-z_-]{1,100}$/, 'is not a connection id (con_…)');
/** SecretBox's sealed form: v1.<iv>.<tag>.<ciphertext>, base64url. */
const sealed = z
  .string()
  .regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, 'is not a sealed secret (v1.<iv>.<tag>.<ciphertext>)');

export const exportedAccountSchema = z
  .strictObject({
    id: accountId,
    type: z.enum(['stripe', 'google_service_account', 'google_oauth']),
    name: z.string().min(1, 'must not be empty').max(200),
    mode: z.enum(['test', 'live']).nullable(),
    email: z.string().nullable(),
    status: z.enum(['active', 'inactive']),
    keyHint: z.string(),
    secretSealed: sealed,
    checkedAt: iso.nullable(),
    lastError: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .superRefine((a, ctx) => {
    if (a.type === 'stripe' && a.mode === null)
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'is required for a Stripe account: test or live' });
    if (a.type !== 'stripe' && a.mode !== null)
      ctx.addIssue({ code: 'custom', path: ['mode'], message: `must be null for a ${a.type} account` });
  });

export const exportedConnectionSchema = z.strictObject({
  id: connectionId,
  name: z.string().min(1, 'must not be empty').max(200),
  /** The source settings as stored (secrets masked), with their `type`; checked against the source's own schema on import. */
  source: z.looseObject({ type: z.string() }),
  /**
   * Version 2: what the source's settings hide (engine/source-secrets.ts), sealed as stored, or null
   * when they hide nothing. Absent from version 1, whose sources hold their URLs in the clear.
   */
  sourceSecretSealed: sealed.nullable().optional(),
  action: z.string(),
  accountId,
  sourceAccountId: accountId.nullable(),
  mapping: z.record(z.string(), z.string()),
  startFrom: z.enum(['all', 'new']),
  enabled: z.boolean(),
  /** null when no schedule was ever set (which behaves as off). */
  schedule: z.looseObject({ kind: z.string() }).nullable(),
  nextRunAt: iso.nullable(),
  afterConnectionId: connectionId.nullable(),
  hookToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,200}$/, 'is not a hook token (16 or more base64url characters)')
    .nullable(),
  createdAt: iso,
  updatedAt: iso,
});

export const exportDocumentSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(IMPORTABLE_VERSIONS),
  exportedAt: iso,
  accounts: z.array(exportedAccountSchema),
  connections: z.array(exportedConnectionSchema),
});

export type ExportedAccount = z.infer<typeof exportedAccountSchema>;
export type ExportedConnection = z.infer<typeof exportedConnectionSchema>;
export type ExportDocument = z.infer<typeof exportDocumentSchema>;

export function exportedAccount(a: AccountRecord): ExportedAccount {
  return {
    id: a.id,
    type: a.type,
    name: a.name,
    mode: a.mode,
    email: a.email,
    status: a.status,
    keyHint: a.key_hint,
    // Copied as stored, never opened: the file holds no secret in the clear.
    secretSealed: a.secret_sealed,
    checkedAt: a.checked_at,
    lastError: a.last_error,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
  };
}

export function exportedConnection(c: ConnectionRecord): ExportedConnection {
  return {
    id: c.id,
    name: c.name,
    source: JSON.parse(c.source_settings) as ExportedConnection['source'],
    // Copied as stored, never opened, like an account's secret.
    sourceSecretSealed: c.source_secret_sealed,
    action: c.action,
    accountId: c.account_id,
    sourceAccountId: c.source_account_id,
    mapping: JSON.parse(c.mapping) as Record<string, string>,
    startFrom: c.start_from,
    enabled: c.enabled === 1,
    schedule: c.schedule === null ? null : (JSON.parse(c.schedule) as ExportedConnection['schedule']),
    nextRunAt: c.next_run_at,
    afterConnectionId: c.after_connection_id,
    hookToken: c.hook_token,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

export function exportCommand(program: Command): void {
  program
    .command('export')
    .description(
      "Write this installation's accounts (secrets still encrypted) and connections as a JSON document, for `sluice import` elsewhere. No runs, rows, users or API keys.",
    )
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .action(async (o: { out?: string }) => {
      const { engine, close } = await openEngine();
      let doc: ExportDocument;
      try {
        // One transaction, so that every connection's account is in the same snapshot as it.
        doc = await engine.db.transaction().execute(async (trx) => ({
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          exportedAt: nowIso(),
          accounts: (await listAccounts(trx)).map(exportedAccount),
          connections: (await listConnections(trx)).map(exportedConnection),
        }));
      } finally {
        await close();
      }
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      const what = `${doc.accounts.length} account(s) and ${doc.connections.length} connection(s)`;
      if (o.out === undefined) {
        process.stdout.write(text);
        process.stderr.write(`exported ${what}\n`);
        return;
      }
      // The file lets whoever holds it (and the encryption key) use the accounts and post to the
      // hooks: readable by its owner only, even when it overwrites a file that was not.
      fs.writeFileSync(o.out, text, { mode: 0o600 });
      fs.chmodSync(o.out, 0o600);
      process.stderr.write(`exported ${what} to ${o.out}\n`);
    });
}
