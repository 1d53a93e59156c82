import crypto from 'node:crypto';
import Stripe from 'stripe';
import { get, post, type ActionContext, type PlannedRequest } from './action.js';
import { ROW_MARKER_KEY, TEST_MARKER_KEY } from './field-kit.js';

/**
 * Finding a customer by email or by the user's own key, and creating it when there is none —
 * exactly once, however many rows name it and however often a row is resumed.
 *
 * Why it holds:
 * - The lookup and the create run inside one step (`ctx.step`): once the step's result is stored
 *   for the row, a resumed row neither looks up nor creates again, and the create is sent with the
 *   step's idempotency key, so a retry replays Stripe's answer instead of making a second customer.
 * - Rows run several at once, so two rows naming one customer would each look, see nothing, and
 *   each create one. Calls for the same customer are therefore serialized per Stripe client (one
 *   per account in a process): the second looks only after the first has created.
 * - By email, the lookup is Stripe's list filter, which is strongly consistent: a customer made a
 *   moment ago is seen. By key (metadata.customer_key) only search can look, and search lags new
 *   customers by a minute or so; customers this process found or made are remembered by key, so
 *   within one process the lag does not matter.
 *
 * Limits: the lock is in memory. Two processes (or a restarted one) that create the same key
 * within search's lag may make two customers; two processes creating the same email in the same
 * instant may too (the list is consistent, but their lookups can both run before either create).
 */

/** The metadata key that holds the user's own id for a customer. Stored on customers in Stripe: never rename. */
export const CUSTOMER_KEY = 'customer_key';

/** Customers read per lookup: the newest is used, the count says when there were several. */
const LOOKUP_LIMIT = 10;

export interface CustomerWanted {
  /** Looked up with GET /v1/customers?email= (strongly consistent), newest first. */
  email?: string;
  /** Your own id for the customer (a CRM id): looked up as metadata.customer_key, created with it. */
  key?: string;
  /** Parameters for POST /v1/customers when none is found (name, phone, …); email, metadata.customer_key and ctx.marker are added. */
  create: Stripe.CustomerCreateParams;
}

export interface CustomerFound {
  id: string;
  found: boolean;
  /** how many customers matched (when >1 the newest is used) */
  matches: number;
  object?: Stripe.Customer;
}

/**
 * What the step stores in the row's ledger (a type alias, so that it is a StepResult). `by` is the
 * lookup key it was stored for (see findOrCreateCustomer).
 */
type Stored = { id: string; found: boolean; matches: number; by: string };

/** Per Stripe client (one per account and key): the tail of the calls queued for each lookup key. */
const locks = new WeakMap<Stripe, Map<string, Promise<void>>>();
/** Per Stripe client: customer_key → id, for every customer this module found or made by key. */
const byKeyMemo = new WeakMap<Stripe, Map<string, string>>();

function mapOf<V>(all: WeakMap<Stripe, Map<string, V>>, stripe: Stripe): Map<string, V> {
  let map = all.get(stripe);
  if (map === undefined) all.set(stripe, (map = new Map()));
  return map;
}

/**
 * What serializes the calls for one customer: `key:<key>` when a key is given (the key is what is
 * looked up), otherwise `email:<email>`, lower-cased — rows spelling one email in two cases may
 * find each other's customer (see lookupCustomers), so they must not run at once either.
 */
export function lookupKeyOf(wanted: Pick<CustomerWanted, 'email' | 'key'>): string | undefined {
  if (wanted.key !== undefined) return `key:${wanted.key}`;
  if (wanted.email !== undefined) return `email:${wanted.email.toLowerCase()}`;
  return undefined;
}

/**
 * Runs `fn` after every earlier call with the same lookup key on this Stripe client has ended
 * (whether it succeeded or not). Without a lookup key there is nothing to collide on: `fn` runs at once.
 */
export function withCustomerLock<T>(stripe: Stripe, lookupKey: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (lookupKey === undefined) return fn();
  const queue = mapOf(locks, stripe);
  const previous = queue.get(lookupKey) ?? Promise.resolve();
  const result = previous.then(() => fn());
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  queue.set(lookupKey, tail);
  // The last call out removes the entry, so that the map does not grow with every email ever seen.
  void tail.then(() => {
    if (queue.get(lookupKey) === tail) queue.delete(lookupKey);
  });
  return result;
}

/** Stripe's search syntax: a value in single quotes, with quotes and backslashes escaped by a backslash. */
export function customerKeyQuery(key: string): string {
  return `metadata['${CUSTOMER_KEY}']:'${key.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

const isOurs = (customer: Stripe.Customer, marker: Record<string, string>): boolean => {
  const row = marker[ROW_MARKER_KEY];
  return row !== undefined && customer.metadata?.[ROW_MARKER_KEY] === row;
};

/**
 * The customers matching `wanted`, newest first (at most LOOKUP_LIMIT), through `ctx.read`.
 * - By key: the customer this process remembers for the key (re-read by id, which is consistent),
 *   else Stripe's search — which misses customers made in the last minute or so.
 * - By email: the exact list filter. Stripe compares emails case-sensitively, so an email with
 *   upper-case letters that matches nothing is looked up lower-cased too (the form most systems store).
 */
export async function lookupCustomers(ctx: ActionContext, wanted: Pick<CustomerWanted, 'email' | 'key'>): Promise<Stripe.Customer[]> {
  // A customer a test send made is not one to bill: the first run still sends the row it came from.
  return (await lookupAll(ctx, wanted)).filter((c) => !c.metadata?.[TEST_MARKER_KEY]);
}

async function lookupAll(ctx: ActionContext, wanted: Pick<CustomerWanted, 'email' | 'key'>): Promise<Stripe.Customer[]> {
  const { key, email } = wanted;
  if (key !== undefined) return lookupByKey(ctx, key);
  if (email === undefined) return [];
  const list = async (e: string) => (await ctx.read(() => ctx.stripe.customers.list({ email: e, limit: LOOKUP_LIMIT }))).data;
  const exact = await list(email);
  const lower = email.toLowerCase();
  return exact.length > 0 || lower === email ? exact : list(lower);
}

async function lookupByKey(ctx: ActionContext, key: string): Promise<Stripe.Customer[]> {
  const memo = mapOf(byKeyMemo, ctx.stripe);
  const known = memo.get(key);
  if (known !== undefined) {
    const customer = await ctx.read(() => retrieveIfAny(ctx.stripe, known));
    if (customer && !customer.deleted && customer.metadata?.[CUSTOMER_KEY] === key) return [customer];
    // Deleted, gone (test data can be wiped from the Dashboard) or its key changed: forget it, ask search.
    memo.delete(key);
  }
  const found = await ctx.read(() => ctx.stripe.customers.search({ query: customerKeyQuery(key), limit: LOOKUP_LIMIT }));
  // Search results carry no promised order; newest first, as with a list.
  return found.data.filter((c) => c.metadata?.[CUSTOMER_KEY] === key).sort((a, b) => b.created - a.created);
}

async function retrieveIfAny(stripe: Stripe, id: string): Promise<Stripe.Customer | Stripe.DeletedCustomer | undefined> {
  try {
    return await stripe.customers.retrieve(id);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** The parameters of POST /v1/customers: the caller's, plus the email, the key and the row's marker. */
function createParams(wanted: CustomerWanted, marker: Record<string, string>): Stripe.CustomerCreateParams {
  const own = wanted.create.metadata;
  const email = wanted.email ?? wanted.create.email;
  return {
    ...wanted.create,
    ...(email !== undefined && { email }),
    metadata: { ...(typeof own === 'object' ? own : {}), ...(wanted.key !== undefined && { [CUSTOMER_KEY]: wanted.key }), ...marker },
  };
}

/** Finds the customer or creates it in the step named `step` (ctx.step: its result is remembered, so a resumed row/group does not create again). */
export async function findOrCreateCustomer(ctx: ActionContext, wanted: CustomerWanted, o: { step: string }): Promise<CustomerFound> {
  const by = lookupKeyOf(wanted);
  return withCustomerLock(ctx.stripe, by, async () => {
    let object: Stripe.Customer | undefined;
    // The lookup runs inside the step: a row whose step is stored must not look again (it could
    // now see another customer), and its stored answer says whether it found or created.
    const findOrCreate = async (idempotencyKey: string): Promise<Stored> => {
      const matches = await lookupCustomers(ctx, wanted);
      // A customer with this row's marker is one an earlier attempt of the row created, its answer
      // lost before it was stored: it is the row's own, made rather than found.
      const own = matches.find((c) => isOurs(c, ctx.marker));
      object = own ?? matches[0];
      if (object) return { id: object.id, found: !own, matches: own ? 0 : matches.length, by: by ?? '' };
      object = await ctx.stripe.customers.create(createParams(wanted, ctx.marker), { idempotencyKey });
      return { id: object.id, found: false, matches: 0, by: by ?? '' };
    };
    let stored = await ctx.step(o.step, findOrCreate);
    // The engine keeps a row's stored steps when its data is edited (they were writes that
    // happened). A step stored for another email or key named another customer — the row was
    // fixed after a later step failed — so the customer now named is found or created in a step
    // of its own (a digest: step names end up in idempotency keys, at most 255 characters).
    if (stored.by !== (by ?? '')) stored = await ctx.step(`${o.step}@${digest(by ?? '')}`, findOrCreate);
    if (wanted.key !== undefined) mapOf(byKeyMemo, ctx.stripe).set(wanted.key, stored.id);
    return { id: stored.id, found: stored.found, matches: stored.matches, ...(object?.id === stored.id && { object }) };
  });
}

const digest = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);

/** What a lookup goes by: "the customer_key CRM-17" (the key wins) or "the email ada@example.com". */
function identity(wanted: Pick<CustomerWanted, 'email' | 'key'>): string | undefined {
  if (wanted.key !== undefined) return `the customer_key ${wanted.key}`;
  if (wanted.email !== undefined) return `the email ${wanted.email}`;
  return undefined;
}

/** "the customer with the email ada@example.com": what a lookup looks for. */
export function customerWith(wanted: Pick<CustomerWanted, 'email' | 'key'>): string {
  const by = identity(wanted);
  return by === undefined ? 'the new customer' : `the customer with ${by}`;
}

/** The lookup request(s) of `wanted` as the preview shows them. */
export function plannedLookup(wanted: Pick<CustomerWanted, 'email' | 'key'>): PlannedRequest[] {
  const { key, email } = wanted;
  if (key !== undefined) {
    return [
      get(
        '/v1/customers/search',
        { query: customerKeyQuery(key), limit: LOOKUP_LIMIT },
        `finds ${customerWith(wanted)} (one this Sluice found or made already is read by its id instead: search lags new customers)`,
      ),
    ];
  }
  if (email === undefined) return [];
  const lower = email.toLowerCase();
  const fallback = lower === email ? '' : `; if none has it, looks for ${lower} too (Stripe's email filter is case-sensitive)`;
  return [get('/v1/customers', { email, limit: LOOKUP_LIMIT }, `finds ${customerWith(wanted)}${fallback}`)];
}

/** What the preview shows: the lookup request and the create request (with note "only when no customer …"). */
export function plannedFindOrCreate(wanted: CustomerWanted, marker: Record<string, string>): { requests: PlannedRequest[]; id: string } {
  const by = identity(wanted);
  const create = post(
    '/v1/customers',
    { ...createParams(wanted, marker) },
    by === undefined ? 'creates the customer: there is no email or key to look it up by' : `only when no customer has ${by}`,
  );
  return { requests: [...plannedLookup(wanted), create], id: `<${customerWith(wanted)}>` };
}

/**
 * "; 3 customers have the email ada@example.com, the newest was used" — or nothing for one. A
 * lookup reads at most LOOKUP_LIMIT, so that many means "or more".
 */
export function severalMatched(wanted: Pick<CustomerWanted, 'email' | 'key'>, matches: number): string {
  if (matches <= 1) return '';
  const count = matches >= LOOKUP_LIMIT ? `${LOOKUP_LIMIT} or more` : String(matches);
  return `; ${count} customers have ${identity(wanted) ?? 'it'}, the newest was used`;
}

/** A sentence for the run history, e.g. "found the customer with the email ada@example.com (cus_…)" / "created the customer …" ; mentions when several matched and the newest was used. */
export function describeCustomer(wanted: CustomerWanted, found: CustomerFound): string {
  if (!found.found) {
    const by = identity(wanted);
    return `created the customer ${found.id}${by === undefined ? '' : ` with ${by}`}`;
  }
  // Found by the lower-cased email: say so, or the email in the sentence would not be the customer's.
  const as = wanted.key === undefined && found.object?.email && found.object.email !== wanted.email ? ` as ${found.object.email}` : '';
  return `found ${customerWith(wanted)}${as} (${found.id})${severalMatched(wanted, found.matches)}`;
}
