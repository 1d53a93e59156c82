import type { Generated } from 'kysely';

/**
 * The tables of Sluice's store. Portable by construction, so that the same queries run on SQLite
 * (default) and Postgres: ids are text, times are ISO-8601 UTC text (they sort as text), JSON is
 * text, booleans are 0/1 integers.
 *
 * Glossary: an *account* is a Stripe key; a *connection* joins a source, an action, an account and
 * a mapping; a *run* is one pass of a connection; a *row* (the row ledger) is every row a connection
 * has seen, by its stable row key; a *run row* is what one run did with one row. The *owner* is the
 * person who logs in to the web UI; a *session* is one login of theirs (a browser's cookie).
 */
export interface Database {
  api_keys: ApiKeyTable;
  accounts: AccountTable;
  connections: ConnectionTable;
  runs: RunTable;
  rows: RowTable;
  run_rows: RunRowTable;
  source_snapshots: SourceSnapshotTable;
  users: UserTable;
  sessions: SessionTable;
  invoice_groups: InvoiceGroupTable;
  account_pace: AccountPaceTable;
  oauth_states: OAuthStateTable;
  setup_codes: SetupCodeTable;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  /** sha256 of the whole key, hex. The key itself is shown once and never stored. */
  key_hash: string;
  /** The key's first characters, so a person can tell keys apart. */
  key_prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/**
 * A one-time code that creating the owner through the web needs on a Sluice reachable from other
 * machines (engine/setup-code.ts). Rows live only while no owner exists.
 */
export interface SetupCodeTable {
  id: string;
  /** sha256 of the code's normalized characters, hex. The code itself is printed once and never stored. */
  code_hash: string;
  created_at: string;
}

/** Someone who logs in to the web UI. For now there is one: the owner, made by the first setup. */
export interface UserTable {
  id: string;
  /** Trimmed and lower-cased, so that `Owner@Example.com ` logs in as `owner@example.com`. */
  email: string;
  /** At most one user is the owner (a unique partial index). */
  role: 'owner';
  /** `scrypt$N$r$p$salt$hash` (see engine/password.ts). Never the password. */
  password_hash: string;
  created_at: string;
}

/**
 * A login: the browser's cookie holds a random token, this row holds only its sha256, so a leaked
 * database opens no session. Expiry slides: each use (written at most once a minute) moves it on.
 */
export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export type AccountType = 'stripe' | 'google_service_account' | 'google_oauth';

export interface AccountTable {
  id: string;
  type: AccountType;
  name: string;
  /** Stripe accounts: the key's mode. Null for Google accounts. */
  mode: 'test' | 'live' | null;
  /** Google accounts: the identity sheets must be shared with (service account) or that signed in (OAuth). */
  email: string | null;
  status: 'active' | 'inactive';
  /** What the secret looks like, without revealing it: `sk_live_…4f2a`, `key 3f9a…`. */
  key_hint: string;
  /**
   * The secret — a Stripe key, a service account's JSON key file, or an OAuth refresh token —
   * sealed by SecretBox with the account id as context.
   */
  secret_sealed: string;
  checked_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConnectionTable {
  id: string;
  name: string;
  source_type: string;
  /**
   * JSON of the source settings, as every answer and export shows them: a secret they hide (a CSV
   * URL's password, token or query) is masked here (`https://user:•••@host/x.csv?token=•••`).
   */
  source_settings: string;
  /**
   * JSON of the settings the mask hides, in the clear (`{"url": "https://user:pass@…"}`), sealed by
   * SecretBox with `<connection id>/source` as context; opened in memory only to read the source
   * (engine/source-secrets.ts). Null when the settings hide nothing.
   */
  source_secret_sealed: string | null;
  action: string;
  /** The Stripe account the action uses. */
  account_id: string;
  /** The account the source reads with (a Google account), when it needs one. */
  source_account_id: string | null;
  /** JSON object: action field → template. */
  mapping: string;
  start_from: 'all' | 'new';
  enabled: Generated<number>;
  /** JSON of the schedule, null when none has been set. */
  schedule: string | null;
  /**
   * When the next scheduled run is due (ISO UTC), for interval and times schedules of an enabled
   * connection; null otherwise. Stored, so schedules survive restarts; claimed by a conditional
   * update, so several processes fire each slot once.
   */
  next_run_at: string | null;
  /** For an `after` schedule: the connection whose runs start this one (indexed, for chains). */
  after_connection_id: string | null;
  /** The unguessable token of a webhook source's URL (/hooks/<token>). */
  hook_token: string | null;
  created_at: string;
  updated_at: string;
  /**
   * When the connection was deleted: from then on it is a tombstone that no query of the API,
   * scheduler or worker sees, whose rows, runs and groups are purged in batches (store/purge.ts),
   * the connection itself last. Null for a live connection.
   */
  deleted_at: Generated<string | null>;
  /** While a process purges the deleted connection: until when its claim holds (ISO UTC). */
  purge_until: Generated<string | null>;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
export type RunTrigger = 'manual' | 'webhook' | 'retry' | 'baseline' | 'schedule' | 'chain';

export interface RunTable {
  id: string;
  connection_id: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** Why the run as a whole failed (the source could not be read, the key was refused). */
  error: string | null;
  /** JSON array of notes about rows the run could not take in (a duplicate key in the file), at most 100. */
  warnings: string | null;
  sent: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  /** Rows the run left pending (it was stopped), counted when it ended. */
  pending: Generated<number>;
  created_at: string;
  /** For a scheduled run: the slot it was queued for. */
  scheduled_for: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Which process runs it (host:pid), and until when its claim holds unless renewed. */
  owner: string | null;
  lease_until: string | null;
}

export type RowStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface RowTable {
  id: string;
  connection_id: string;
  row_key: string;
  /** JSON of the row's source fields as last read. */
  data: string;
  status: RowStatus;
  stripe_id: string | null;
  error: string | null;
  /**
   * Part of every idempotency key of this row. Bumped only when a new attempt must not replay an
   * earlier one: the row's data changed, Stripe answered a definite refusal, or Stripe replays a 500
   * for the key and a lookup by the row's marker proved nothing was made. Never bumped after any
   * other ambiguous failure (timeout, 5xx), where the same key must be reused to stay exactly-once.
   */
  key_version: Generated<number>;
  /**
   * When the row's create step was first sent in an attempt that ended ambiguous with its key
   * kept (ISO UTC; the earliest such attempt, later ones leave it): Stripe keeps an idempotency
   * key only 24 hours, so from then on the key alone no longer prevents a duplicate. Such a row's
   * next create looks for its object by marker first, and past 24 hours sends only when a strongly
   * consistent list proved the object absent (engine/settle-ambiguous.ts). Cleared when the row is
   * sent or its create's result is stored, when its key version moves and when its data changes
   * (the new key was never sent); null otherwise.
   */
  ambiguous_since: string | null;
  /** JSON: results of the steps already done for this row (step name → result), so a resumed row skips them. */
  progress: string | null;
  /**
   * For a pending or failed row of a pull source: the run whose complete read last held it, or the
   * retry run that replays it. A run sends only the pending rows stamped with its own id: a row an
   * earlier read left pending that the source no longer has is never sent (engine/NOTES.md).
   * Null for push sources' rows and for rows from before the column existed.
   */
  read_id: Generated<string | null>;
  attempts: Generated<number>;
  line: number | null;
  last_run_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  /** JSON of the cells to write back into the source row ({column: value}), set when the row is sent. */
  write_back: string | null;
  /** null when nothing is to be written back. */
  write_back_status: 'pending' | 'done' | 'failed' | null;
  write_back_error: string | null;
  /**
   * For a row of a grouped action (stripe.create_invoice_from_rows): the invoice key of the group
   * the row was last handled in, whose invoice holds its line once sent (InvoiceGroupTable.group_key).
   */
  group_key: string | null;
}

/**
 * What a pull source without a key column looked like at its last read: its columns and its rows
 * in order, each with its row key and content hash (see core/row-identity.ts). It is what lets a
 * row keep its key when the sheet is sorted, rows are inserted or deleted, or a row is edited.
 */
export interface SourceSnapshotTable {
  connection_id: string;
  /** JSON array of the column names. */
  columns: string;
  /** JSON array of [key, hash, cell fingerprint] tuples, in source order. */
  entries: string;
  updated_at: string;
}

export interface RunRowTable {
  run_id: string;
  row_id: string;
  status: RowStatus;
  stripe_id: string | null;
  error: string | null;
  /** What the row did besides create, in a sentence ("found the customer …; not created again"). */
  note: string | null;
  updated_at: string;
}

/**
 * The invoice that rows sharing an invoice key became (stripe.create_invoice_from_rows): one per
 * connection and key, ever. Its steps (customer, invoice, finalize, send) are remembered like a
 * row's, so a resumed run adds the missing lines to the same draft and makes no second invoice;
 * the invoice's number, status, total and link are kept from Stripe's last answer.
 */
export interface InvoiceGroupTable {
  id: string;
  connection_id: string;
  /** The mapped invoice_key (an order id, an invoice number, an email), as the rows give it. */
  group_key: string;
  /** Part of the group's idempotency keys; moves only when Stripe surely made nothing (see RowTable.key_version). */
  key_version: Generated<number>;
  /** JSON: results of the group's steps already done (step name → result). */
  progress: string | null;
  customer_id: string | null;
  /** The email the group's customer was found or created by: later rows must name the same one. */
  customer_email: string | null;
  invoice_id: string | null;
  number: string | null;
  /** Stripe's status of the invoice: draft, open, paid, void, uncollectible. */
  status: string | null;
  /** In the currency's smallest unit. */
  total: number | null;
  currency: string | null;
  hosted_invoice_url: string | null;
  /** Lines Sluice added to the invoice (rows sent). */
  lines: Generated<number>;
  /** Why the invoice is not finished (a line failed, too many lines, rows disagree); null when it is. */
  error: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The pace of a Stripe account shared by every process on one Postgres (engine/shared-pacer.ts):
 * the rate the last 429 left, when that was, and the next free request slot (epoch ms).
 */
export interface AccountPaceTable {
  account_id: string;
  base: number;
  last_slowdown: number;
  next_at: number;
  throttled: Generated<number>;
}

/**
 * A "Connect Google account" in progress (engine/google-oauth.ts): the random `state` sent through
 * Google, stored as its sha256 only, bound to the login session that started it. The callback
 * deletes it as it uses it (one use), and refuses it past `expires_at` or from another session.
 */
export interface OAuthStateTable {
  state_hash: string;
  session_id: string;
  /** The name the new account gets. */
  account_name: string;
  created_at: string;
  expires_at: string;
}
