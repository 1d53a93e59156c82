import { z } from 'zod';
import { valueError, type FieldError } from '../core/field-error.js';
import { actions, findAction } from '../receivers/stripe/actions/index.js';
import { sourceTypes, type SourceType } from '../sources/index.js';
import { getAccount } from '../store/accounts.js';
import * as store from '../store/connections.js';
import { newId, newToken, nowIso } from '../store/ids.js';
import { tombstoneConnection } from '../store/purge.js';
import { createRun, finishRunDirect } from '../store/runs.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { checkChain, nextRunOnSave, readSchedule, scheduleOf, serverTimezone } from './schedules.js';
import { parseSchedule, type Schedule } from '../core/schedule/schedule.js';
import { intakeSource } from './intake.js';
import { checkMapping } from './mapping.js';
import { describeIssues, parseBody } from './parse-body.js';
import { sealSourceSettings } from './source-secrets.js';
import { sourceContextOf } from './source-context.js';

const connectionSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    source: z.looseObject({ type: z.string() }),
    action: z.string(),
    accountId: z.string(),
    mapping: z.record(z.string(), z.unknown()),
    startFrom: z.enum(['all', 'new']).default('all'),
    enabled: z.boolean().default(false),
    schedule: z.unknown().optional(),
  })
  .strict();

const patchSchema = connectionSchema.partial().omit({ startFrom: true }).strict();

export interface ConnectionView {
  id: string;
  name: string;
  source: Record<string, unknown>;
  action: string;
  accountId: string;
  mapping: Record<string, string>;
  startFrom: 'all' | 'new';
  enabled: boolean;
  schedule: Schedule;
  /** When the next scheduled run is due (enabled interval and times schedules). */
  nextRunAt: string | null;
  /** For a webhook source: the URL forms post to. */
  hookUrl?: string;
  createdAt: string;
  updatedAt: string;
}

export function connectionView(engine: Engine, c: store.ConnectionRecord): ConnectionView {
  return {
    id: c.id,
    name: c.name,
    source: JSON.parse(c.source_settings) as Record<string, unknown>,
    action: c.action,
    accountId: c.account_id,
    mapping: JSON.parse(c.mapping) as Record<string, string>,
    startFrom: c.start_from,
    enabled: c.enabled === 1,
    schedule: scheduleOf(c),
    nextRunAt: c.next_run_at,
    ...(c.hook_token && { hookUrl: `${engine.publicUrl}/hooks/${c.hook_token}` }),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

interface Checked {
  source: SourceType;
  settings: Record<string, unknown>;
}

type ConnectionInput = Pick<z.infer<typeof connectionSchema>, 'source' | 'action' | 'accountId' | 'mapping'>;

/**
 * The problems of a connection as it would be saved: the source settings against the source's
 * schema and its own check (resolveSourceSettings), the action, the account, and the mapping
 * against the action — all of them, not the first. `sourceUnchanged` (a PATCH without `source`)
 * skips the source's own check: a connection saved before a rule (a CSV path outside the import
 * folder) can still be renamed or switched off; its runs say what is wrong.
 */
export async function connectionProblems(
  engine: Engine,
  c: ConnectionInput,
  o: { sourceUnchanged?: boolean } = {},
): Promise<{ errors: FieldError[]; checked?: Checked }> {
  const errors: FieldError[] = [];
  const source = sourceTypes.get(c.source.type);
  let settings: Record<string, unknown> = c.source;
  if (!source) {
    errors.push(valueError('source.type', c.source.type, `is not a source type; use one of: ${[...sourceTypes.keys()].join(', ')}`));
  } else {
    const parsed = source.settings.safeParse(c.source);
    if (!parsed.success) errors.push(...describeIssues(parsed.error.issues, c.source).map((e) => prefixed('source', e)));
    else if (o.sourceUnchanged) settings = parsed.data as Record<string, unknown>;
    else {
      const resolved = await resolveSourceSettings(engine, source, parsed.data);
      if (resolved.ok) settings = resolved.settings as Record<string, unknown>;
      else errors.push(...resolved.errors.map((e) => prefixed('source', e)));
    }
  }
  const action = findAction(c.action);
  if (!action) {
    errors.push(valueError('action', c.action, `is not an action; use one of: ${[...actions.keys()].join(', ')}`));
  } else {
    const mapping = checkMapping(action, c.mapping);
    if (!mapping.ok) errors.push(...mapping.errors);
  }
  const account = await getAccount(engine.db, c.accountId);
  if (!account) errors.push(valueError('accountId', c.accountId, 'is not an account; add one with POST /api/accounts'));
  else if (account.type !== 'stripe')
    errors.push(valueError('accountId', c.accountId, `is a ${account.type} account; the action needs a Stripe account`));
  const sourceAccountId = source?.mode === 'pull' ? source.accountId?.(settings) : undefined;
  if (sourceAccountId !== undefined) {
    const google = await getAccount(engine.db, sourceAccountId);
    if (!google)
      errors.push(valueError('source.accountId', sourceAccountId, 'is not an account; add a Google account with POST /api/accounts'));
    else if (!google.type.startsWith('google_'))
      errors.push(valueError('source.accountId', sourceAccountId, `is a ${google.type} account; the sheet needs a Google account`));
  }
  return { errors, ...(source && errors.length === 0 && { checked: { source, settings } }) };
}

/**
 * The source's own check of settings that passed its schema, with the server's context (a CSV
 * path must lie in the import folder), and the settings as they are stored.
 */
export async function resolveSourceSettings(
  engine: Engine,
  source: SourceType,
  settings: unknown,
): Promise<{ ok: true; settings: unknown } | { ok: false; errors: FieldError[] }> {
  if (source.mode !== 'pull' || source.resolve === undefined) return { ok: true, settings };
  return source.resolve(settings, sourceContextOf(engine));
}

/** A nested object's error, named from the top: `source.url: …`; the object's own (`(body)`) as `source: …`. */
export function prefixed(prefix: string, e: FieldError): FieldError {
  const top = e.field === '(body)';
  const field = top ? prefix : `${prefix}.${e.field}`;
  return { ...e, field, message: top ? `${prefix}: ${e.message.replace(/^\(body\): /, '')}` : `${prefix}.${e.message}` };
}

/** A schedule's problems: its shape (parseSchedule) and, for a chain, that it names a connection and makes no cycle. */
export async function scheduleProblems(engine: Engine, self: string, name: string, input: unknown): Promise<FieldError[]> {
  const parsed = parseSchedule(input, serverTimezone());
  if (!parsed.ok) return [{ field: 'schedule', message: parsed.error }];
  return checkChain(engine, self, name, parsed.value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks a connection body. When the body's shape is wrong (an empty name), the
 * source, action, account and mapping are still checked if they are there, so one answer lists
 * every problem.
 */
async function parseConnection<S extends z.ZodType<ConnectionInput & Record<string, unknown>>>(
  engine: Engine,
  schema: S,
  body: unknown,
  self = '',
  o: { sourceUnchanged?: boolean } = {},
): Promise<{ input: z.infer<S>; checked: Checked }> {
  const parsed = schema.safeParse(body ?? {});
  const errors = parsed.success ? [] : describeIssues(parsed.error.issues, body);
  const candidate = parsed.success ? parsed.data : body;
  if (
    isObject(candidate) &&
    isObject(candidate.source) &&
    typeof candidate.source.type === 'string' &&
    typeof candidate.action === 'string' &&
    typeof candidate.accountId === 'string' &&
    isObject(candidate.mapping)
  ) {
    const problems = await connectionProblems(engine, candidate as ConnectionInput, o);
    errors.push(...problems.errors.filter((p) => !errors.some((e) => e.field === p.field)));
    if (candidate.schedule !== undefined)
      errors.push(...(await scheduleProblems(engine, self, String(candidate.name ?? ''), candidate.schedule)));
    if (parsed.success && problems.checked && errors.length === 0) return { input: parsed.data, checked: problems.checked };
  }
  throw new ApiError(400, errors.map((e) => e.message).join('; '), errors);
}

const sourceAccountOf = (source: SourceType, settings: unknown) => (source.mode === 'pull' ? (source.accountId?.(settings) ?? null) : null);

export async function requireConnection(engine: Engine, id: string): Promise<store.ConnectionRecord> {
  const c = await store.getConnection(engine.db, id);
  if (!c) throw new ApiError(404, `connection ${JSON.stringify(id)} does not exist`);
  return c;
}

export async function createConnection(engine: Engine, body: unknown): Promise<ConnectionView> {
  const { input, checked } = await parseConnection(engine, connectionSchema, body);
  const { source, settings } = checked;
  const schedule = input.schedule === undefined ? undefined : readSchedule(input.schedule);
  const now = nowIso();
  const id = newId('con');
  const record: store.ConnectionRecord = {
    id,
    name: input.name,
    source_type: source.type,
    ...sealSourceSettings(engine, source, id, settings),
    action: input.action,
    account_id: input.accountId,
    mapping: JSON.stringify(input.mapping),
    start_from: input.startFrom,
    enabled: input.enabled ? 1 : 0,
    schedule: schedule ? JSON.stringify(schedule) : null,
    after_connection_id: schedule?.kind === 'after' ? schedule.connectionId : null,
    next_run_at: schedule ? nextRunOnSave(schedule, input.enabled, new Date()) : null,
    hook_token: source.mode === 'push' ? newToken() : null,
    source_account_id: sourceAccountOf(source, settings),
    created_at: now,
    updated_at: now,
    deleted_at: null,
    purge_until: null,
  };
  await store.insertConnection(engine.db, record);
  if (input.startFrom === 'new' && source.mode === 'pull') {
    try {
      await recordBaseline(engine, record);
    } catch (error) {
      await store.deleteNewConnection(engine.db, record.id);
      throw new ApiError(400, `source: could not be read to note its existing rows (startFrom "new"): ${(error as Error).message}`);
    }
  }
  engine.log.info({ connectionId: record.id, source: source.type, action: record.action }, 'connection created');
  return connectionView(engine, record);
}

/**
 * startFrom "new": the rows present now are recorded as skipped, so only rows that appear later are
 * sent. Recorded as a run of its own (trigger "baseline") so the history says what happened.
 */
export async function recordBaseline(engine: Engine, connection: store.ConnectionRecord): Promise<void> {
  const runId = await createRun(engine.db, connection.id, 'baseline', 'running');
  const { added } = await intakeSource(engine, connection, { status: 'skipped' });
  await finishRunDirect(engine.db, runId, { status: 'succeeded', skipped: added });
}

export async function updateConnection(engine: Engine, id: string, body: unknown): Promise<ConnectionView> {
  const current = await requireConnection(engine, id);
  const patch = parseBody(patchSchema, body);
  const merged: z.infer<typeof connectionSchema> = {
    name: patch.name ?? current.name,
    source: patch.source ?? (JSON.parse(current.source_settings) as { type: string }),
    action: patch.action ?? current.action,
    accountId: patch.accountId ?? current.account_id,
    mapping: patch.mapping ?? (JSON.parse(current.mapping) as Record<string, unknown>),
    startFrom: current.start_from,
    enabled: patch.enabled ?? current.enabled === 1,
    schedule: patch.schedule ?? scheduleOf(current),
  };
  const sourceUnchanged = patch.source === undefined;
  const { checked } = await parseConnection(engine, connectionSchema, merged, id, { sourceUnchanged });
  const { source, settings } = checked;
  const schedule = readSchedule(merged.schedule);
  // The next run moves when the schedule is saved or the connection is switched on; otherwise it stays.
  const rescheduled = patch.schedule !== undefined || (merged.enabled && current.enabled !== 1);
  const wasPush = current.hook_token !== null;
  const next: store.ConnectionRecord = {
    ...current,
    name: merged.name,
    source_type: source.type,
    // Unchanged settings are kept as stored, never rewritten (see connectionProblems), sealed secret
    // included; a masked address sent back unchanged keeps the sealed secret too.
    ...(sourceUnchanged
      ? { source_settings: current.source_settings, source_secret_sealed: current.source_secret_sealed }
      : sealSourceSettings(engine, source, id, settings, current)),
    action: merged.action,
    account_id: merged.accountId,
    mapping: JSON.stringify(merged.mapping),
    enabled: merged.enabled ? 1 : 0,
    schedule: JSON.stringify(schedule),
    after_connection_id: schedule.kind === 'after' ? schedule.connectionId : null,
    next_run_at: !merged.enabled ? null : rescheduled ? nextRunOnSave(schedule, true, new Date()) : current.next_run_at,
    // A webhook keeps its URL across edits: forms in the wild post to it.
    hook_token: source.mode === 'push' ? (wasPush ? current.hook_token : newToken()) : null,
    source_account_id: sourceAccountOf(source, settings),
    updated_at: nowIso(),
  };
  await store.updateConnection(engine.db, id, next);
  return connectionView(engine, next);
}

/**
 * Deletes a connection: at once for the user (it is gone from every list and answer, its hook URL
 * answers 404, it never runs again), while its rows, runs and invoices are purged in batches
 * afterwards (store/purge.ts, engine/purger.ts), so that a connection with millions of rows does
 * not stop the server while they go.
 */
export async function removeConnection(engine: Engine, id: string): Promise<void> {
  const result = await tombstoneConnection(engine.db, id);
  if (result === 'missing') throw new ApiError(404, `connection ${JSON.stringify(id)} does not exist`);
  if (result === 'busy') throw new ApiError(409, `connection ${id} has a run queued or running; wait for it to end, then delete`);
  engine.log.info({ connectionId: id }, 'connection deleted; its rows are purged in the background');
  engine.wake();
}
