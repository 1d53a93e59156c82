import type { ActionContext, Lookup, StripeAction } from '../receivers/stripe/action.js';
import type { Fields, InputOf } from '../receivers/stripe/field-kit.js';
import { ROW_MARKER_KEY } from '../receivers/stripe/field-kit.js';
import { toStripeCallError, type StripeCallError } from '../receivers/stripe/stripe-error.js';

/**
 * A row's create step whose outcome the lookup could not settle: the row fails with `message`.
 * `newKey` is true only when the lookup proved that Stripe made nothing, and Stripe holds a 500
 * for the key that no retry with it can get past (see `settleAmbiguousCreate`).
 */
export class UnsettledWrite extends Error {
  override name = 'UnsettledWrite';
  constructor(
    message: string,
    readonly newKey: boolean,
  ) {
    super(message);
  }
}

/**
 * Settles a create step that stayed ambiguous after the same-key retries, by looking for the
 * row's object by its marker (metadata.sluice_row) before anything is sent with a new key:
 * - found: that object is the step's result, as if Stripe had answered;
 * - not found by a strongly consistent list, after a 5xx Stripe *replayed* for the key: Stripe
 *   finished the first request and stored its 500, so the object was not made and never will be
 *   under that key — the row fails and its next attempt may use a new key;
 * - anything else (no answer at all, search that lags, a capped list, a lookup that failed too):
 *   the row fails with its key kept. Without a replayed answer the first request may still be
 *   running at Stripe and create the object after the lookup; the same key is what keeps a retry
 *   from duplicating it (within Stripe's 24 hours).
 * Throws UnsettledWrite when the row fails (or the lookup's StripeCallError when the key was refused).
 */
export async function settleAmbiguousCreate<F extends Fields>(o: {
  action: StripeAction<F>;
  input: InputOf<F>;
  ctx: ActionContext;
  error: StripeCallError;
  secretKey: string;
}): Promise<{ id: string; object: unknown }> {
  const { error } = o;
  const tag = markerTag(o.ctx);
  const lookup = await lookUpCreated(o);
  if (lookup.kind === 'found') return { id: lookup.id, object: lookup.object };
  if (lookup.kind === 'failed')
    throw new UnsettledWrite(keptKey(error, `looking for the object with ${tag} failed too (${lookup.why})`), false);
  if (lookup.kind === 'absent' && error.details.replayed === true) {
    throw new UnsettledWrite(
      `${describeStripeFailure(error)} — Stripe replays that answer for the row's idempotency key, and none of ${lookup.where} has ${tag}, so Stripe made nothing: a retry will use a new idempotency key`,
      true,
    );
  }
  const why =
    lookup.kind === 'absent'
      ? `none of ${lookup.where} has ${tag} yet, but the request may still be running at Stripe`
      : `looking for the object with ${tag}: ${lookup.why}`;
  throw new UnsettledWrite(keptKey(error, why), false);
}

/** How long Stripe keeps an idempotency key (at least): past it, a request with the key runs anew. */
export const STRIPE_KEY_HOLD_MS = 24 * 60 * 60 * 1000;

/**
 * Before the create step of a row whose earlier create stayed ambiguous with its key kept
 * (`since`, RowTable.ambiguous_since), looks for the row's object by its marker, because after
 * Stripe's 24 hours the kept key no longer prevents a duplicate:
 * - found: that object is the step's result (returned), and nothing is sent;
 * - absent (a strongly consistent list saw every candidate): send, with the kept key. Within 24
 *   hours Stripe replays its stored answer for it, or the first request made nothing; past them
 *   Stripe has forgotten the key, but the list proved nothing was made, and the first request
 *   ended long ago, so it cannot make the object after the lookup: this create is the only one;
 * - unsure (search that lags, a capped list) or the lookup failed: within 24 hours send with the
 *   kept key (Stripe still holds it, so a made object is replayed, not made again); past them the
 *   row fails (UnsettledWrite, key kept) and nothing is sent.
 * Returns null when the create step is to be sent.
 */
export async function lookBeforeReplay<F extends Fields>(o: {
  action: StripeAction<F>;
  input: InputOf<F>;
  ctx: ActionContext;
  secretKey: string;
  since: string;
  now: Date;
}): Promise<{ id: string; object: unknown } | null> {
  const lookup = await lookUpCreated(o);
  if (lookup.kind === 'found') return { id: lookup.id, object: lookup.object };
  if (lookup.kind === 'absent' || o.now.getTime() - Date.parse(o.since) < STRIPE_KEY_HOLD_MS) return null;
  // A day after the first attempt, search's lag of a minute or so is long past: its miss is an answer.
  if (lookup.kind === 'unsure' && lookup.searchLag) return null;
  const tag = markerTag(o.ctx);
  const why = lookup.kind === 'failed' ? `looking for it with ${tag} failed (${lookup.why})` : `looking for it with ${tag}: ${lookup.why}`;
  throw new UnsettledWrite(
    `Not sent: Stripe gave no clear answer to this row's create, first sent at ${o.since}, and it keeps idempotency keys only 24 hours, so the row's key no longer prevents a duplicate; ${why}. Sluice cannot be sure the object does not exist: look in the Stripe Dashboard for an object whose metadata sluice_row is ${o.ctx.marker[ROW_MARKER_KEY] ?? ''}`,
    false,
  );
}

/** What looking for the row's object found, or why the lookup could not be made. */
type CreatedLookup = Lookup | { kind: 'failed'; why: string };

/**
 * The action's `find` for the row's marker: what both an ambiguous create and the look before a
 * replay go by. A lookup that could not be made is `failed`; a refused key is thrown, to stop the
 * run with its rows left pending, as it does anywhere else.
 */
async function lookUpCreated<F extends Fields>(o: {
  action: StripeAction<F>;
  input: InputOf<F>;
  ctx: ActionContext;
  secretKey: string;
}): Promise<CreatedLookup> {
  try {
    if (!o.action.find) throw new Error('this action cannot look its objects up');
    return await o.action.find(o.ctx.marker[ROW_MARKER_KEY] ?? '', o.input, o.ctx);
  } catch (raw) {
    const failed = toStripeCallError(raw, o.secretKey);
    if (failed.kind === 'auth') throw failed;
    return { kind: 'failed', why: failed.message };
  }
}

const markerTag = (ctx: ActionContext): string => `metadata.${ROW_MARKER_KEY}=${ctx.marker[ROW_MARKER_KEY] ?? ''}`;

function keptKey(error: StripeCallError, why: string): string {
  return `${describeStripeFailure(error)} — Stripe may or may not have acted; ${why}. A retry reuses the same idempotency key, so it cannot create a duplicate within 24 hours`;
}

/** A row's error text: the Stripe parameter first when Stripe named one, as for Sluice's own field errors. */
export function describeStripeFailure(error: StripeCallError): string {
  const { param, code, status, requestId, replayed } = error.details;
  const prefix = param ? `${param}: ` : '';
  // Stripe's status, code and request id: what Stripe support asks for.
  const said = [status, code, requestId, replayed ? 'replayed' : undefined].filter((x) => x !== undefined).join(' ');
  const suffix = said ? ` (Stripe ${said})` : '';
  return `${prefix}${error.message}${suffix}`;
}
