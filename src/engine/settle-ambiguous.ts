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
  const { action, ctx, error } = o;
  const marker = ctx.marker[ROW_MARKER_KEY] ?? '';
  const tag = `metadata.${ROW_MARKER_KEY}=${marker}`;
  let lookup: Lookup;
  try {
    if (!action.find) throw new Error('this action cannot look its objects up');
    lookup = await action.find(marker, o.input, ctx);
  } catch (raw) {
    const failed = toStripeCallError(raw, o.secretKey);
    // A refused key stops the run, rows left pending, as it does anywhere else.
    if (failed.kind === 'auth') throw failed;
    throw new UnsettledWrite(keptKey(error, `looking for the object with ${tag} failed too (${failed.message})`), false);
  }
  if (lookup.kind === 'found') return { id: lookup.id, object: lookup.object };
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
