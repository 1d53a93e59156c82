import type Stripe from 'stripe';
import type { FieldError } from '../../core/field-error.js';
import type { Fields, FieldSpec, InputOf } from './field-kit.js';
import { encodeForm } from './form.js';

/** A value a step may return: it is stored in the row ledger, so that a resumed row skips the step. */
export type StepResult = string | number | boolean | null | { [k: string]: StepResult } | StepResult[];

/** One request as it will be sent to Stripe: what the preview shows and the test send reports. */
export interface PlannedRequest {
  method: 'GET' | 'POST';
  /** Path with its query string, e.g. `/v1/customers?email=ada%40example.com&limit=2`. */
  path: string;
  /** The form body exactly as sent (POST), in Stripe's encoding. */
  body?: string;
  params?: Record<string, unknown>;
  /** Why the request is made, when it is not obvious (a lookup, a step that depends on another). */
  note?: string;
}

export interface ActionContext {
  stripe: Stripe;
  /**
   * Runs one write of the row once. The step receives its idempotency key, derived from the
   * connection, the row and the step name (so a retry, a crash-resume or an overlapping run sends
   * the same key). A step already done for this row returns its stored result without calling
   * Stripe again. Step names are persisted in the ledger: never rename one. When the `create`
   * step's outcome stays ambiguous, the engine may settle it with the action's `find`.
   */
  step<T extends StepResult>(name: string, fn: (idempotencyKey: string) => Promise<T>): Promise<T>;
  /**
   * Runs a read (a lookup), retried like a step but not remembered: a resumed or edited row reads
   * again, so it never acts on what an earlier attempt found with other data.
   */
  read<T>(fn: () => Promise<T>): Promise<T>;
  /** Metadata to put on every object created, so it can be found again (see ROW_MARKER_KEY). */
  marker: Record<string, string>;
}

/**
 * The step that creates the row's object (the customer, the invoice item, the invoice); its
 * result is the object's id. `find` looks for what this step made. Persisted: never rename.
 */
export const CREATE_STEP = 'create';

/** What looking for a row's object by its marker (metadata.sluice_row) found. */
export type Lookup =
  | { kind: 'found'; id: string; object: unknown }
  /**
   * A strongly consistent list saw every candidate, and none carries the marker. `where` names
   * the candidates: "the customers with the email ada@example.com".
   */
  | { kind: 'absent'; where: string }
  /**
   * Nothing found, but that proves nothing: the lookup is eventually consistent (Stripe's search
   * lags new objects), or it stopped at its cap with more candidates left. `why` says which.
   */
  | {
      kind: 'unsure';
      why: string;
      /** Unsure only because search lags new objects (by a minute or so): for an object older than that, a miss is an answer. */
      searchLag?: true;
    };

export interface ActionResult {
  /** The id of the object the row produced (the customer, the invoice item, the invoice). */
  id: string;
  /** Stripe's answer for that object, as returned. */
  object: unknown;
  /**
   * What the row did other than create, in a sentence the run history shows beside the id: "found
   * the customer with the email ada@example.com; not created again (if_exists: skip)". (Default: none)
   */
  note?: string;
}

/**
 * A Stripe action, declared once: its key, its fields (validation, types and the catalog all come
 * from them), its cross-field rules, what it will send (`plan`, for the preview: pure, it never
 * calls anything) and what it does (`run`). `plan` and `run` build their parameters with the same
 * functions, so the preview is exactly what is sent.
 */
export interface StripeAction<F extends Fields = Fields> {
  /** Stored in connections: stable, never renamed. */
  key: string;
  title: string;
  /** One line saying what the action does, for the catalog and the wizard. */
  description: string;
  fields: F;
  /**
   * Rows with the same value of the field `by` make one Stripe object together (one invoice, each
   * row a line): the engine sends such an action a group at a time (engine/send-invoice-groups.ts),
   * not a row at a time, and never calls `run`. (Default: none — each row is sent on its own)
   */
  grouped?: { by: keyof F & string };
  check?(input: InputOf<F>): FieldError[];
  plan(input: InputOf<F>, marker: Record<string, string>): PlannedRequest[];
  run(input: InputOf<F>, ctx: ActionContext): Promise<ActionResult>;
  /**
   * Finds the object the row's `create` step made, by the row's marker (`marker` is the value of
   * metadata.sluice_row), through `ctx.read` only. The engine calls it when that step's outcome
   * stays ambiguous after the same-key retries (a timeout, a dropped connection, a 500 Stripe
   * replays for the key), before anything is sent with a new key, and again before such a row's
   * create is sent once more (Stripe forgets the kept key after 24 hours). Prefer list endpoints, which
   * are strongly consistent, and answer `absent` only when every candidate was seen: after a 500
   * Stripe replays for the key, the engine then lets the next attempt use a new key, which would
   * duplicate an object the lookup missed.
   * (Default: none — an ambiguous create leaves the row failed, its key kept.)
   */
  find?(marker: string, input: InputOf<F>, ctx: ActionContext): Promise<Lookup>;
  /**
   * The test send, for actions whose real effect a run must not meet afterwards (a test invoice
   * item left pending would be billed on the customer's next invoice). `note` tells the user what
   * the test did instead. (Default: `run`, and the object stays, marked as a test.)
   */
  test?(input: InputOf<F>, ctx: ActionContext): Promise<ActionResult & { note: string }>;
}

export const defineAction = <F extends Fields>(action: StripeAction<F>): StripeAction<F> => action;

export function post(path: string, params: Record<string, unknown>, note?: string): PlannedRequest {
  return { method: 'POST', path, params, body: encodeForm(params), ...(note && { note }) };
}

export function get(path: string, query: Record<string, unknown>, note?: string): PlannedRequest {
  const q = encodeForm(query);
  return { method: 'GET', path: q ? `${path}?${q}` : path, ...(note && { note }) };
}

export function catalogFields(fields: Fields): FieldSpec[] {
  return Object.values(fields).map((f) => f.spec);
}

/** Sets `a.b.c` = value in a nested object: mapping keys are dotted, Stripe's parameters nested. */
export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = (typeof next === 'object' && next !== null ? next : (node[part] = {})) as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
