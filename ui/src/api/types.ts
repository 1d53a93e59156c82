// The API's answers as the UI reads them; README.md ("The REST API") is their description.
import type { FieldSpec } from '../../../src/receivers/stripe/field-kit';

export interface SessionState {
  setupRequired: boolean;
  user: { id: string; email: string } | null;
  csrfToken: string | null;
}

/** An action's field as the catalog gives it: the server's own declaration. */
export type { FieldSpec };

export interface SettingSpec {
  key: string;
  type: 'text' | 'url' | 'path' | 'multiline' | 'enum';
  label: string;
  help: string;
  example?: string;
  required: boolean;
  options?: readonly string[];
}

export interface Catalog {
  actions: { key: string; title: string; description: string; fields: FieldSpec[] }[];
  sources: { type: string; title: string; description: string; mode: 'pull' | 'push'; settings: SettingSpec[] }[];
}

export interface Account {
  id: string;
  type: 'stripe' | 'google_service_account' | 'google_oauth';
  name: string;
  mode?: 'test' | 'live';
  email?: string;
  status: 'active' | 'inactive';
  keyHint: string | null;
  checkedAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export type Schedule =
  | { kind: 'off' }
  | { kind: 'interval'; minutes: number }
  | { kind: 'times'; times: string[]; timezone: string; days?: string[] }
  | { kind: 'after'; connectionId: string; on?: 'success' | 'any' };

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
export type RowStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface Run {
  id: string;
  connectionId: string;
  trigger: 'manual' | 'schedule' | 'chain' | 'webhook' | 'retry' | 'baseline' | string;
  status: RunStatus;
  counts: Record<RowStatus, number>;
  error: string | null;
  warnings: string[];
  createdAt: string;
  scheduledFor: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** A finished run's rows done per second, start to end; null while it runs. */
  averageRowsPerSecond: number | null;
}

/** A running run's pace; `rate` and what follows are absent when another Sluice process runs the run. */
export interface RunPace {
  rowsPerSecond: number;
  limit: number;
  rate?: number;
  throttled?: number;
  backingOff?: boolean;
  backingOffUntil?: string;
}

export interface RunRow {
  rowKey: string;
  line: number | null;
  status: RowStatus;
  stripeId: string | null;
  dashboardUrl?: string | null;
  error: string | null;
  updatedAt: string;
  /** The row's status in the ledger now: a row this run failed may have been retried or sent since. */
  currentStatus: RowStatus;
}

export interface RunWithRows extends Run {
  pace?: RunPace;
  rows: RunRow[];
  nextOffset?: number;
}

export interface Connection {
  id: string;
  name: string;
  source: { type: string } & Record<string, unknown>;
  action: string;
  accountId: string;
  mapping: Record<string, string>;
  startFrom: 'all' | 'new';
  enabled: boolean;
  schedule: Schedule;
  nextRunAt: string | null;
  hookUrl?: string;
  createdAt: string;
  updatedAt: string;
  lastRun: Run | null;
  rows?: Record<RowStatus, number>;
}

export interface SourceFields {
  columns: { name: string; samples: string[] }[];
}

export interface PreviewRow {
  rowKey: string;
  line: number | null;
  fields: Record<string, string>;
  values: Record<string, unknown>;
  ok: boolean;
  errors: { field: string; value?: unknown; message: string }[];
  requests: { method: string; path: string; body: string }[];
  ledger?: string;
}

export interface TestSendResult {
  row: Record<string, string>;
  requests: { method: string; path: string; body: string }[];
  result:
    | { ok: true; id: string; dashboardUrl: string; note?: string; object: unknown }
    | { ok: false; error: { message: string; status?: number; type?: string; code?: string; param?: string } };
}

export interface NextRuns {
  next: { utc: string; local: string }[];
}
