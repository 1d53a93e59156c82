// The API's answers as the UI reads them; README.md ("The REST API") is their description.
import type { FieldSpec } from '../../../src/receivers/stripe/field-kit';

export interface SessionState {
  setupRequired: boolean;
  /** Creating the owner needs the one-time code from the server's log (a Sluice other machines can reach). */
  setupCodeRequired: boolean;
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
  actions: {
    key: string;
    title: string;
    description: string;
    fields: FieldSpec[];
    /** Rows are not sent one by one but gathered by this field's value, each group making one object (an invoice). */
    grouped?: { by: string };
  }[];
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
  /** What the row did other than create: "found the customer with the email ada@example.com; not created again". */
  note?: string | null;
  /** For grouped actions: the invoice key of the invoice the row is a line of. */
  invoiceKey?: string | null;
}

/** An invoice a run of a grouped action made or added lines to. */
export interface RunInvoice {
  /** The rows' invoice_key. */
  key: string;
  /** Null when the group failed before its invoice was made. */
  invoiceId: string | null;
  /** Assigned at finalize. */
  number: string | null;
  /** Stripe's: draft | open | paid | void | uncollectible. */
  status: string | null;
  /** In the currency's smallest unit. */
  total: number | null;
  currency: string | null;
  /** The customer's payment page (after finalize). */
  hostedInvoiceUrl: string | null;
  dashboardUrl: string | null;
  customerId: string | null;
  /** The lines Sluice added to it. */
  lines: number;
  /** Why it is not finished (a line failed, too many lines, rows disagree…). */
  error: string | null;
}

export interface RunWithRows extends Run {
  pace?: RunPace;
  rows: RunRow[];
  nextOffset?: number;
  /** The invoices this run made or added lines to (grouped actions only). */
  invoices?: RunInvoice[];
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

/** A problem of a row or a group, named by its field. */
export interface PreviewProblem {
  field: string;
  value?: unknown;
  message: string;
}

/** A request as it will be sent: method, path (with its query), the form body of a POST, and why when not obvious. */
export interface PreviewRequest {
  method: string;
  path: string;
  body?: string;
  note?: string;
}

export interface PreviewRow {
  rowKey: string;
  line: number | null;
  fields: Record<string, string>;
  values: Record<string, unknown>;
  ok: boolean;
  errors: PreviewProblem[];
  /** Empty for grouped actions: their group holds the requests. */
  requests: PreviewRequest[];
  ledger?: string;
  note?: string;
}

/** One line of a grouped preview's invoice: a row. */
export interface PreviewLine {
  rowKey: string;
  line: number | null;
  description: string | null;
  /** In the currency's smallest unit (1250 = 12.50 USD); null when priced by a Price id. */
  amount: number | null;
  currency: string | null;
  price: string | null;
  quantity: number | null;
}

/** The customer of a grouped preview's invoice, and what will be done to have one. */
export interface PreviewCustomer {
  email: string | null;
  name: string | null;
  key: string | null;
  /** found: an existing Stripe customer (`id`); create: one will be created; unknown: could not check (`note` says why). */
  outcome: 'found' | 'create' | 'unknown';
  id?: string;
  note?: string;
}

/** The rows of a grouped action that make one invoice, as it will be sent. */
export interface PreviewGroup {
  /** The invoice_key value. */
  key: string;
  ok: boolean;
  /** Group problems: rows disagreeing on a customer, too many lines, a bad row in the group. */
  errors: PreviewProblem[];
  rowKeys: string[];
  lines: PreviewLine[];
  /** Lowercase ISO. */
  currency: string | null;
  /** In minor units; null when some line uses a Price (its amount is not known before sending). */
  total: number | null;
  customer: PreviewCustomer;
  finalize: boolean;
  send: boolean;
  /** Why this group is not invoiced yet (no row marked ready). */
  waiting?: string;
  /** An invoice Sluice already made for this key: later rows join it while it is a draft. */
  existing?: { invoiceId: string; number: string | null; status: string | null; lines: number };
  /** The exact requests, in order. */
  requests: PreviewRequest[];
}

export interface Preview {
  connectionId: string;
  action: string;
  columns: string[];
  rows: PreviewRow[];
  /** For grouped actions: the invoices the rows make. */
  groups?: PreviewGroup[];
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

/** GET /api/sources/csv/files: the files a CSV source's `path` may name, relative to the import folder. */
export interface ImportFileList {
  folder: string;
  files: { name: string; size: number; modifiedAt: string }[];
  /** More files were there than listed. */
  truncated: boolean;
}
