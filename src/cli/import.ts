import fs from 'node:fs';
import type { Command } from 'commander';
import { deletedConnectionIds } from '../store/purge.js';
import { z } from 'zod';
import type { FieldError } from '../core/field-error.js';
import type { Engine } from '../engine/context.js';
import { connectionProblems, recordBaseline, scheduleProblems } from '../engine/connections.js';
import { describeIssues } from '../engine/parse-body.js';
import { sourceTypes } from '../sources/index.js';
import type { AccountRecord } from '../store/accounts.js';
import type { ConnectionRecord } from '../store/connections.js';
import { nowIso } from '../store/ids.js';
import { hasActiveRun } from '../store/runs.js';
import { ApiError } from '../engine/errors.js';
import { sealedSettingsOpen, sealSourceSettings } from '../engine/source-secrets.js';
import {
  EXPORT_FORMAT,
  IMPORTABLE_VERSIONS,
  exportDocumentSchema,
  type ExportDocument,
  type ExportedAccount,
  type ExportedConnection,
} from './export.js';
import {
  existingAccountIds,
  existingConnectionIds,
  hookTokenOwners,
  joinTransaction,
  noteImportedBaseline,
  putAccount,
  putConnection,
} from './import-store.js';
import { openEngine } from './store-context.js';

export interface ImportOptions {
  /** Check and write everything, then roll it all back. */
  dryRun: boolean;
  /** Overwrite accounts and connections whose ids the store has already. */
  replace: boolean;
  /** Keep `enabled` (and the next scheduled run) as exported, instead of switching connections off. */
  keepEnabled: boolean;
  /** Do not record the rows pull sources have now as skipped: the first run sends them all. */
  resend: boolean;
}

export interface ImportResult {
  accounts: number;
  connections: { id: string; name: string; sourceType: string; enabled: boolean; hook: boolean; baselined: number | null }[];
  baselined: number;
}

/** Why a document was not imported: every problem found, each naming its field. Nothing was written. */
export class ImportRefused extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`nothing was imported:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Thrown out of the import's transaction so that a dry run rolls back what it wrote. */
class DryRunDone extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run');
  }
}

const SKIPPED_REASON = 'present in the source when the connection was imported (sluice import); not sent again';

const KEY_REFUSED =
  "cannot be opened with this installation's encryption key; set SLUICE_ENCRYPTION_KEY to the key of the installation it was exported from";

/** `accounts[0].secretSealed`, as a person reads a path into the document. */
function pathName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const p of path) name += typeof p === 'number' ? `[${p}]` : name === '' ? String(p) : `.${String(p)}`;
  return name || 'the document';
}

/** zod's issues the Sluice way (describeIssues), with the path written `accounts[0].id`. */
function issueProblems(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return describeIssues(issues, input).map((e, i) => {
    const name = pathName(issues[i]?.path ?? []);
    return e.message.startsWith(`${e.field}: `) ? `${name}: ${e.message.slice(e.field.length + 2)}` : `${name}: ${e.message}`;
  });
}

/**
 * An engine error about one connection (`mapping.email: …`), named from the document's top. A
 * schedule's problems come joined in one message (`schedule.times[1]: …; schedule.days: …`).
 */
const within = (at: string, e: FieldError) => `${at}.${e.message.replace(/; (?=schedule\b)/g, `; ${at}.`)}`;

/** Checked first and alone: a file that is not a Sluice export, or of another version, gets one clear line. */
const envelopeSchema = z.looseObject({
  format: z.literal(EXPORT_FORMAT, {
    error: (issue) => (issue.input === undefined ? 'is required' : `is not "${EXPORT_FORMAT}": this file is not a Sluice export`),
  }),
  version: z.literal(IMPORTABLE_VERSIONS, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `is not a version this Sluice can import; it imports versions ${IMPORTABLE_VERSIONS.join(' and ')}`,
  }),
});

/**
 * Parses and checks an export document's text: its format and version, then every field, then
 * what must hold across the document (unique ids and hook tokens). Throws ImportRefused.
 */
export function checkDocument(text: string, file: string): ExportDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault, which could be anything: not repeated.
    throw new ImportRefused([`${file}: is not JSON; give the file that sluice export wrote`]);
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new ImportRefused(issueProblems(envelope.error.issues, value));
  const parsed = exportDocumentSchema.safeParse(value);
  if (!parsed.success) throw new ImportRefused(issueProblems(parsed.error.issues, value));
  const problems = documentProblems(parsed.data);
  if (problems.length > 0) throw new ImportRefused(problems);
  return parsed.data;
}

/** The problems a document has in itself: ids and hook tokens given twice, a hook token where none belongs. */
function documentProblems(doc: ExportDocument): string[] {
  const problems: string[] = [];
  const unique = <T>(list: readonly T[], listName: string, key: (x: T) => string | null, field: string, show: boolean) => {
    const first = new Map<string, number>();
    list.forEach((x, i) => {
      const k = key(x);
      if (k === null) return;
      const seen = first.get(k);
      if (seen === undefined) first.set(k, i);
      else
        problems.push(
          `${listName}[${i}].${field}: ${show ? `${JSON.stringify(k)} ` : ''}is also the ${field} of ${listName}[${seen}]; it must be unique`,
        );
    });
  };
  unique(doc.accounts, 'accounts', (a) => a.id, 'id', true);
  unique(doc.connections, 'connections', (c) => c.id, 'id', true);
  unique(doc.connections, 'connections', (c) => c.hookToken, 'hookToken', false);
  doc.connections.forEach((c, i) => {
    if (doc.version === 1 && c.sourceSecretSealed !== undefined)
      problems.push(`connections[${i}].sourceSecretSealed: is not part of a version 1 document (its sources hold their URLs in the clear)`);
    if (doc.version !== 1 && c.sourceSecretSealed === undefined)
      problems.push(
        `connections[${i}].sourceSecretSealed: is required in a version ${doc.version} document (null when the source hides nothing)`,
      );
    const mode = sourceTypes.get(c.source.type)?.mode;
    if (mode === 'push' && c.hookToken === null)
      problems.push(`connections[${i}].hookToken: is null; a ${c.source.type} source needs its hook token (the end of its hook URL)`);
    if (mode === 'pull' && c.hookToken !== null) problems.push(`connections[${i}].hookToken: must be null for a ${c.source.type} source`);
    const after = c.schedule?.kind === 'after' ? (c.schedule as { connectionId?: unknown }).connectionId : null;
    if (typeof after === 'string' || after === null) {
      if (c.afterConnectionId !== after)
        problems.push(
          `connections[${i}].afterConnectionId: ${JSON.stringify(c.afterConnectionId)} is not the connection its schedule runs after (${JSON.stringify(after)})`,
        );
    }
  });
  return problems;
}

/**
 * Whether this installation's encryption key opens each account's secret. One secret an account,
 * opened with the account id as context, and dropped at once: the clear text is never kept.
 */
function secretProblems(engine: Engine, doc: ExportDocument): string[] {
  const problems: string[] = [];
  doc.accounts.forEach((a, i) => {
    try {
      engine.secrets.open(a.secretSealed, a.id);
    } catch {
      problems.push(`accounts[${i}].secretSealed: ${KEY_REFUSED}`);
    }
  });
  doc.connections.forEach((c, i) => {
    if (c.sourceSecretSealed && !sealedSettingsOpen(engine, c.id, c.sourceSecretSealed))
      problems.push(`connections[${i}].sourceSecretSealed: ${KEY_REFUSED}`);
  });
  if (problems.length > 0)
    problems.push('(an installation without SLUICE_ENCRYPTION_KEY keeps its key in <its data dir>/encryption.key, as 64 hex characters)');
  return problems;
}

/** What the store has already that the document would collide with. */
async function conflictProblems(engine: Engine, doc: ExportDocument, replace: boolean): Promise<string[]> {
  const problems: string[] = [];
  const accounts = await existingAccountIds(
    engine.db,
    doc.accounts.map((a) => a.id),
  );
  const connections = await existingConnectionIds(
    engine.db,
    doc.connections.map((c) => c.id),
  );
  const overwrite = 'already exists in this installation; pass --replace to overwrite it';
  // A deleted connection's record stays until its rows are purged (store/purge.ts): writing over it
  // would bring back a connection half purged.
  const purging = await deletedConnectionIds(
    engine.db,
    doc.connections.map((c) => c.id),
  );
  doc.connections.forEach(
    (c, i) =>
      purging.has(c.id) &&
      problems.push(`connections[${i}].id: ${JSON.stringify(c.id)} was deleted here and is still being purged; import again in a minute`),
  );
  if (!replace) {
    doc.accounts.forEach((a, i) => accounts.has(a.id) && problems.push(`accounts[${i}].id: ${JSON.stringify(a.id)} ${overwrite}`));
    doc.connections.forEach(
      (c, i) => connections.has(c.id) && !purging.has(c.id) && problems.push(`connections[${i}].id: ${JSON.stringify(c.id)} ${overwrite}`),
    );
  }
  const owners = await hookTokenOwners(
    engine.db,
    doc.connections.flatMap((c) => (c.hookToken === null ? [] : [c.hookToken])),
  );
  for (const [i, c] of doc.connections.entries()) {
    const owner = c.hookToken === null ? undefined : owners.get(c.hookToken);
    if (owner !== undefined && owner !== c.id)
      problems.push(`connections[${i}].hookToken: is already the hook URL of connection ${owner} in this installation`);
    // A run of the connection being overwritten would go on with settings that are not its own.
    if (replace && connections.has(c.id) && (await hasActiveRun(engine.db, c.id)))
      problems.push(`connections[${i}].id: ${JSON.stringify(c.id)} has a run queued or running here; wait for it to end, then import`);
  }
  return problems;
}

function accountRecord(a: ExportedAccount): AccountRecord {
  return {
    id: a.id,
    type: a.type,
    name: a.name,
    mode: a.mode,
    email: a.email,
    status: a.status,
    key_hint: a.keyHint,
    secret_sealed: a.secretSealed,
    checked_at: a.checkedAt,
    last_error: a.lastError,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/**
 * The source's settings as stored here: a version 2 document's masked settings and sealed secret
 * as they are (re-sealed, the same clear values); a version 1 document's clear URL sealed now.
 */
function importedSourceSettings(
  engine: Engine,
  c: ExportedConnection,
  at: string,
): Pick<ConnectionRecord, 'source_settings' | 'source_secret_sealed'> {
  const type = sourceTypes.get(c.source.type);
  if (!type) return { source_settings: JSON.stringify(c.source), source_secret_sealed: null };
  const saved = {
    source_type: c.source.type,
    source_settings: JSON.stringify(c.source),
    source_secret_sealed: c.sourceSecretSealed ?? null,
  };
  try {
    return sealSourceSettings(engine, type, c.id, c.source, saved);
  } catch (error) {
    if (error instanceof ApiError) throw new ImportRefused([`${at}.${error.message}`]);
    throw error;
  }
}

function connectionRecord(engine: Engine, c: ExportedConnection, at: string, keepEnabled: boolean): ConnectionRecord {
  const enabled = keepEnabled && c.enabled;
  return {
    id: c.id,
    name: c.name,
    source_type: c.source.type,
    ...importedSourceSettings(engine, c, at),
    action: c.action,
    account_id: c.accountId,
    source_account_id: c.sourceAccountId,
    mapping: JSON.stringify(c.mapping),
    start_from: c.startFrom,
    enabled: enabled ? 1 : 0,
    schedule: c.schedule === null ? null : JSON.stringify(c.schedule),
    // A connection switched off has no next run; switching it on computes one (PATCH).
    next_run_at: enabled ? c.nextRunAt : null,
    after_connection_id: c.afterConnectionId,
    hook_token: c.hookToken,
    deleted_at: null,
    purge_until: null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

/**
 * Imports a document (checked by checkDocument) into the engine's store, in one transaction: every problem found is
 * reported together and nothing is written (ImportRefused), or everything is.
 *
 * The row ledger is not in the document, and it is what makes a re-run send nothing: without it,
 * every row a pull source has now would be sent again. So each pull connection's present rows are
 * recorded as skipped — the baseline a connection with startFrom "new" gets when it is created —
 * unless `resend`. The baseline reads the source inside the transaction, so a source that cannot
 * be read here stops the whole import rather than leave a connection that would resend its rows.
 */
export async function importDocument(engine: Engine, doc: ExportDocument, o: ImportOptions): Promise<ImportResult> {
  const secrets = secretProblems(engine, doc);
  if (secrets.length > 0) throw new ImportRefused(secrets);
  const started = nowIso();
  try {
    return await engine.db.transaction().execute(async (trx) => {
      const inner: Engine = { ...engine, db: joinTransaction(trx) };
      const conflicts = await conflictProblems(inner, doc, o.replace);
      if (conflicts.length > 0) throw new ImportRefused(conflicts);

      for (const a of doc.accounts) await putAccount(inner.db, accountRecord(a), o.replace);

      // Checked as a connection saved through the API is, against the accounts just written.
      const problems: string[] = [];
      // The settings as stored: a CSV path as its name in this installation's import folder.
      const settings = new Map<string, Record<string, unknown>>();
      for (const [i, c] of doc.connections.entries()) {
        const at = `connections[${i}]`;
        const checked = await connectionProblems(inner, c);
        problems.push(...checked.errors.map((e) => within(at, e)));
        const source = checked.checked;
        if (source) settings.set(c.id, source.settings);
        const sourceAccountId = source?.source.mode === 'pull' ? (source.source.accountId?.(source.settings) ?? null) : null;
        if (source && c.sourceAccountId !== sourceAccountId)
          problems.push(
            `${at}.sourceAccountId: ${JSON.stringify(c.sourceAccountId)} is not the account its source reads with (${JSON.stringify(sourceAccountId)})`,
          );
      }
      if (problems.length > 0) throw new ImportRefused(problems);

      const records = doc.connections.map((c, i) =>
        connectionRecord(inner, { ...c, source: { ...c.source, ...settings.get(c.id) } }, `connections[${i}]`, o.keepEnabled),
      );
      for (const r of records) await putConnection(inner.db, r, o.replace);
      // After every connection is written: a chain may name one that comes later in the file.
      for (const [i, c] of doc.connections.entries())
        if (c.schedule !== null)
          problems.push(...(await scheduleProblems(inner, c.id, c.name, c.schedule)).map((e) => within(`connections[${i}]`, e)));
      if (problems.length > 0) throw new ImportRefused(problems);

      const result: ImportResult = { accounts: doc.accounts.length, connections: [], baselined: 0 };
      for (const [i, r] of records.entries()) {
        const pull = sourceTypes.get(r.source_type)?.mode === 'pull';
        let baselined: number | null = null;
        if (pull && !o.resend) {
          try {
            await recordBaseline(inner, r);
          } catch (error) {
            throw new ImportRefused([
              `connections[${i}] (${JSON.stringify(r.name)}): its source could not be read to record the rows it has now as skipped: ${(error as Error).message}. ` +
                'Make the source readable from here, or pass --resend to import without recording them (the first run then sends every row the source has)',
            ]);
          }
          baselined = await noteImportedBaseline(inner.db, r.id, started, SKIPPED_REASON);
          result.baselined += baselined;
        }
        result.connections.push({
          id: r.id,
          name: r.name,
          sourceType: r.source_type,
          enabled: r.enabled === 1,
          hook: r.hook_token !== null,
          baselined,
        });
      }
      if (o.dryRun) throw new DryRunDone(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    throw error;
  }
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function summary(r: ImportResult, o: ImportOptions): string {
  const lines = [
    `${o.dryRun ? 'dry run, nothing was written: would import' : 'imported'} ${r.accounts} account(s) and ${r.connections.length} connection(s); ${r.baselined} row(s) baselined`,
  ];
  for (const c of r.connections) {
    const rows =
      c.baselined === null ? (c.hook ? 'hook URL kept' : 'rows not baselined (--resend)') : `${c.baselined} row(s) recorded as skipped`;
    lines.push(`  ${c.id}  ${JSON.stringify(c.name)}  ${c.sourceType}  ${c.enabled ? 'on' : 'off'}  ${rows}`);
  }
  if (r.connections.some((c) => !c.enabled))
    lines.push(
      'Connections were imported switched off: stop the old installation, then switch them on (the web UI, or PATCH /api/connections/ID {"enabled": true}).',
    );
  return `${lines.join('\n')}\n`;
}

export function importCommand(program: Command): void {
  program
    .command('import <file>')
    .description(
      'Import the accounts and connections of a `sluice export` document (a file, or - for stdin) into this installation, all or nothing.',
    )
    .option('--dry-run', 'check everything and report what would be imported; write nothing')
    .option('--replace', 'overwrite accounts and connections whose ids exist here (their runs and row ledger stay)')
    .option('--keep-enabled', 'keep connections switched on as exported (Default: imported switched off)')
    .option('--resend', 'do not record the rows pull sources have now as skipped: the first run sends them all again')
    .action(async (file: string, flags: { dryRun?: boolean; replace?: boolean; keepEnabled?: boolean; resend?: boolean }) => {
      const o: ImportOptions = {
        dryRun: flags.dryRun === true,
        replace: flags.replace === true,
        keepEnabled: flags.keepEnabled === true,
        resend: flags.resend === true,
      };
      const doc = checkDocument(await readInput(file), file === '-' ? 'stdin' : file);
      const { engine, close } = await openEngine();
      try {
        process.stdout.write(summary(await importDocument(engine, doc, o), o));
      } finally {
        await close();
      }
    });
}
