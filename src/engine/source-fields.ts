import { z } from 'zod';
import { sourceTypes } from '../sources/index.js';
import { latestRows } from '../store/rows.js';
import type { Engine } from './context.js';
import { prefixed, requireConnection, resolveSourceSettings } from './connections.js';
import { ApiError } from './errors.js';
import { describeIssues, parseBody } from './parse-body.js';
import { openPullSource } from './source-context.js';
import { sealSourceSettings } from './source-secrets.js';

export interface SourceFields {
  columns: { name: string; samples: string[] }[];
}

const SAMPLES = 3;

async function fieldsOf(engine: Engine, connection: Parameters<typeof openPullSource>[1]): Promise<SourceFields> {
  const opened = await openPullSource(engine, connection);
  if (!opened) return { columns: [] };
  let sample;
  try {
    sample = await opened.source.sample(opened.settings, opened.ctx, 10);
  } catch (error) {
    throw new ApiError(422, `source: ${(error as Error).message}`);
  }
  return {
    columns: sample.columns.map((name) => ({
      name,
      samples: sample.rows
        .map((r) => r.fields[name] ?? '')
        .filter((v) => v !== '')
        .slice(0, SAMPLES),
    })),
  };
}

/** GET /api/connections/:id/source/fields: the source's columns with sample values, for mapping. */
export async function connectionSourceFields(engine: Engine, id: string): Promise<SourceFields> {
  const connection = await requireConnection(engine, id);
  if (connection.source_type === 'webhook') {
    const latest = await latestRows(engine.db, id, 10);
    const rows = latest.map((r) => JSON.parse(r.data) as Record<string, string>);
    const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return {
      columns: names.map((name) => ({
        name,
        samples: rows
          .map((r) => r[name] ?? '')
          .filter(Boolean)
          .slice(0, SAMPLES),
      })),
    };
  }
  return fieldsOf(engine, connection);
}

const unsaved = z
  .object({
    source: z.looseObject({ type: z.string() }),
    /**
     * The saved connection these settings edit: a masked address in them (`https://user:•••@…`)
     * then reads with that connection's sealed secret, as the saved connection would.
     */
    connectionId: z.string().optional(),
  })
  .strict();

/** POST /api/sources/fields {source, connectionId?}: the same for settings not saved yet (the wizard). */
export async function unsavedSourceFields(engine: Engine, body: unknown): Promise<SourceFields> {
  const { source, connectionId } = parseBody(unsaved, body);
  const type = sourceTypes.get(source.type);
  if (!type)
    throw new ApiError(
      400,
      `source.type: ${JSON.stringify(source.type)} is not a source type; use one of: ${[...sourceTypes.keys()].join(', ')}`,
    );
  if (type.mode !== 'pull') return { columns: [] };
  const parsed = type.settings.safeParse(source);
  if (!parsed.success) {
    const errors = describeIssues(parsed.error.issues, source).map((e) => ({
      ...e,
      field: `source.${e.field}`,
      message: `source.${e.message}`,
    }));
    throw new ApiError(400, errors.map((e) => e.message).join('; '), errors);
  }
  const resolved = await resolveSourceSettings(engine, type, parsed.data);
  if (!resolved.ok) {
    const errors = resolved.errors.map((e) => prefixed('source', e));
    throw new ApiError(400, errors.map((e) => e.message).join('; '), errors);
  }
  const settings = resolved.settings as Record<string, unknown>;
  const accountId = type.accountId?.(settings) ?? null;
  // Sealed in memory exactly as a save would seal them (nothing is stored), so that a masked
  // address reads with the saved secret of its own connection only.
  const saved = connectionId === undefined ? undefined : await requireConnection(engine, connectionId);
  const id = saved?.id ?? 'unsaved';
  const sealed = sealSourceSettings(engine, type, id, settings, saved);
  return fieldsOf(engine, { id, source_type: type.type, ...sealed, source_account_id: accountId });
}
